using LvsPs.Interop;
using LvsPs.Netlink.Protocol;

namespace LvsPs.Netlink.Transport;

/// <summary>The outcome of one request of an exchange: its errno (0 when it succeeded) and the messages it returned.</summary>
public sealed class Reply
{
    public int Errno { get; internal set; }
    public List<NetlinkMessage> Messages { get; } = new();

    /// <summary>A message of this reply carried NLM_F_DUMP_INTR: the table changed while the kernel dumped it.</summary>
    public bool Interrupted { get; internal set; }

    /// <summary>
    /// In how many receive buffers this reply's messages came: each is one pass of the kernel's dump callback, which
    /// holds the table's lock only for that pass, so a reply in more than one part may mix two states of the table.
    /// </summary>
    public int Parts { get; internal set; }

    internal bool Complete { get; set; }
    internal int LastPart { get; set; } = -1;
}

/// <summary>
/// A generic netlink socket speaking to one family, resolved by name when the connection opens (family ids are
/// assigned at module load, so they are never kept across connections). Requests go out in batches: one send carries
/// many messages, each with its own sequence number and ACK, and the replies are matched back by sequence number.
/// Dumps are read to NLMSG_DONE across as many receive buffers as the kernel fills.
/// </summary>
public sealed class GenericNetlinkConnection : IDisposable
{
    /// <summary>Messages per send in a batch; bounded so the ACKs fit the receive buffer.</summary>
    public const int MaxBatchMessages = 256;

    /// <summary>Bytes per send in a batch (well below the socket's send buffer).</summary>
    public const int MaxBatchBytes = 64 * 1024;

    private readonly NetlinkSocket _socket;
    private readonly byte[] _receiveBuffer = new byte[1 << 20];
    private uint _sequence;

    private GenericNetlinkConnection(NetlinkSocket socket, ushort familyId, uint familyVersion)
    {
        _socket = socket;
        FamilyId = familyId;
        FamilyVersion = familyVersion;
    }

    public ushort FamilyId { get; }

    public uint FamilyVersion { get; }

    /// <summary>Opens a socket in the calling thread's network namespace and resolves <paramref name="family"/> (CTRL_CMD_GETFAMILY).</summary>
    /// <exception cref="NetlinkException">ENOENT when the family is not registered.</exception>
    public static GenericNetlinkConnection Open(string family, TimeSpan timeout)
    {
        var socket = new NetlinkSocket(NetlinkConstants.ProtocolGeneric, timeout);
        try
        {
            var probe = new GenericNetlinkConnection(socket, NetlinkConstants.ControllerFamilyId, 0);
            var w = new MessageWriter(64);
            int m = probe.Begin(w, NetlinkConstants.ControllerCommandGetFamily, 1, dump: false);
            w.PutString(NetlinkConstants.ControllerAttributeFamilyName, family);
            w.EndMessage(m);
            var reply = probe.Exchange(w, 1)[0];
            if (reply.Errno != 0) throw new NetlinkException(reply.Errno, $"Generic netlink family '{family}' could not be resolved (errno {reply.Errno}).");
            var attrs = reply.Messages.Single().Attributes;
            ushort id = attrs.U16(NetlinkConstants.ControllerAttributeFamilyId) ?? throw new InvalidDataException("CTRL_CMD_GETFAMILY reply without a family id.");
            uint version = attrs.U32(NetlinkConstants.ControllerAttributeVersion) ?? 0;
            return new GenericNetlinkConnection(socket, id, version);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Starts a request message for this family in <paramref name="writer"/>; returns its start for EndMessage.</summary>
    public int Begin(MessageWriter writer, byte command, byte version, bool dump) =>
        writer.BeginMessage(FamilyId, (ushort)(NetlinkConstants.FlagRequest | (dump ? NetlinkConstants.FlagDump : NetlinkConstants.FlagAck)), ++_sequence, command, version);

    /// <summary>
    /// Sends the <paramref name="count"/> messages in <paramref name="writer"/> (the last ones begun with <see cref="Begin"/>)
    /// and collects a reply for each, in order. A dump must be the only message of its exchange (the kernel runs one
    /// dump per socket at a time).
    /// </summary>
    public Reply[] Exchange(MessageWriter writer, int count)
    {
        var replies = new Reply[count];
        uint first = _sequence - (uint)count + 1;
        for (int i = 0; i < count; i++) replies[i] = new Reply();
        _socket.Send(writer.Written);
        int pending = count;
        int part = 0;
        while (pending > 0)
        {
            int n = _socket.Receive(_receiveBuffer);
            part++;
            foreach (var message in NetlinkMessage.Split(_receiveBuffer.AsMemory(0, n).ToArray()))
            {
                uint index = message.Sequence - first;
                if (index >= (uint)count || message.PortId != _socket.PortId) continue; // not ours (a stale reply)
                var reply = replies[index];
                if (reply.Complete) continue;
                if ((message.Flags & NetlinkConstants.FlagDumpInterrupted) != 0) reply.Interrupted = true;
                switch (message.Type)
                {
                    case NetlinkConstants.MessageError:
                        reply.Errno = -message.Error;
                        reply.Complete = true;
                        pending--;
                        break;
                    case NetlinkConstants.MessageDone:
                        // NLMSG_DONE carries the dump's final status as an int
                        reply.Errno = message.Payload.Length >= 4 ? -message.Error : 0;
                        reply.Complete = true;
                        pending--;
                        break;
                    case NetlinkConstants.MessageOverrun:
                        throw new NetlinkException(Errno.ENOBUFS, "The kernel reported a netlink overrun.");
                    case NetlinkConstants.MessageNoop:
                        break;
                    default:
                        reply.Messages.Add(message);
                        if (reply.LastPart != part)
                        {
                            reply.LastPart = part;
                            reply.Parts++;
                        }
                        break;
                }
            }
        }
        return replies;
    }

    public void Dispose() => _socket.Dispose();
}
