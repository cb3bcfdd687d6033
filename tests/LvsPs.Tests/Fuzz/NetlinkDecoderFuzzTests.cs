using System.Net;
using CsCheck;
using LvsPs.Model;
using LvsPs.Netlink.Ipvs;
using LvsPs.Netlink.Protocol;

namespace LvsPs.Tests.Fuzz;

/// <summary>
/// Fuzz target: the netlink decoder (message split, attributes, and the IPVS service, destination and daemon readers
/// the kernel director runs on every reply). Property: a malformed reply throws InvalidDataException and nothing else.
/// </summary>
public sealed class NetlinkDecoderFuzzTests
{
    private static byte[][] Seeds()
    {
        var w = new MessageWriter();
        var svc = new VirtualServiceSettings { Id = VirtualServiceId.Parse("tcp/10.0.0.1:80"), Scheduler = "wrr", PersistenceTimeout = 300, PersistenceEngine = "sip" };
        var svc6 = new VirtualServiceSettings { Id = VirtualServiceId.Parse("udp/[2001:db8::1]:53"), Scheduler = "mh", SchedulerFlags = SchedulerFlags.Fallback };
        var dest = new RealServerSettings { Id = RealServerId.Create(IPAddress.Parse("10.0.0.2"), 8080), Weight = 3, Forwarding = ForwardingMethod.Tunnel, TunnelType = TunnelType.Gue, TunnelPort = 6080 };
        var seeds = new List<byte[]>();
        foreach (var s in new[] { svc, svc6 })
        {
            w.Clear();
            int m = w.BeginMessage(0x20, 0, 1, 1, 1);
            int n = w.BeginNested((ushort)IpvsCommandAttribute.Service);
            IpvsCodec.WriteService(w, s);
            w.EndNested(n);
            w.EndMessage(m);
            seeds.Add(w.Written.ToArray());
        }
        w.Clear();
        int m2 = w.BeginMessage(0x20, 0, 2, 1, 1);
        int d = w.BeginNested((ushort)IpvsCommandAttribute.Destination);
        IpvsCodec.WriteDestination(w, dest);
        w.EndNested(d);
        w.EndMessage(m2);
        seeds.Add(w.Written.ToArray());
        w.Clear();
        int m3 = w.BeginMessage(0x20, 0, 3, 1, 1);
        int dm = w.BeginNested((ushort)IpvsCommandAttribute.Daemon);
        IpvsCodec.WriteDaemon(w, new SyncDaemon { Role = SyncDaemonRole.Master, Interface = "eth0", SyncId = 7 });
        w.EndNested(dm);
        w.EndMessage(m3);
        seeds.Add(w.Written.ToArray());
        // an error reply (NLMSG_ERROR, errno -2) and a bare header
        seeds.Add(new byte[] { 36, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0xFE, 0xFF, 0xFF, 0xFF, 20, 0, 0, 0, 0x20, 0, 5, 0, 1, 0, 0, 0, 0, 0, 0, 0 });
        return seeds.ToArray();
    }

    /// <summary>What the kernel director does with a reply, in the order it does it.</summary>
    internal static void Decode(byte[] buffer)
    {
        foreach (var message in NetlinkMessage.Split(buffer))
        {
            if (message.Type == NetlinkConstants.MessageError)
            {
                _ = message.Error;
                continue;
            }
            _ = message.Command;
            var attributes = message.Attributes;
            if (attributes.Nested((ushort)IpvsCommandAttribute.Service) is { } svc)
            {
                var (settings, _) = IpvsCodec.ReadService(svc);
                if (attributes.Nested((ushort)IpvsCommandAttribute.Destination) is { } dd) IpvsCodec.ReadDestination(dd, settings.Id);
            }
            if (attributes.Nested((ushort)IpvsCommandAttribute.Destination) is { } d) IpvsCodec.ReadDestination(d, VirtualServiceId.Parse("tcp/10.0.0.1:80"));
            if (attributes.Nested((ushort)IpvsCommandAttribute.Daemon) is { } daemon) IpvsCodec.ReadDaemon(daemon);
        }
    }

    internal static void Property(byte[] buffer)
    {
        try
        {
            Decode(buffer);
        }
        catch (InvalidDataException)
        {
            // the documented error for a malformed reply
        }
    }

    /// <summary>
    /// Well-framed replies of random content: a header whose length is right, an error or IPVS message type, and a
    /// payload of random attributes (a command attribute 1..3 nesting attributes of random type and size), so the
    /// readers behind the framing get exercised, not only Split.
    /// </summary>
    private static Gen<byte[]> Framed =>
        Gen.Select(
            Gen.OneOf(Gen.Const((ushort)NetlinkConstants.MessageError), Gen.Const((ushort)0x20), Gen.UShort),
            Gen.OneOf(Gen.Byte.Array[0, 6], Gen.Select(Gen.Int[1, 3], Gen.Select(Gen.Int[0, 24], Gen.Byte.Array[0, 20]).Array[0, 12]).Select(Attributes)),
            (type, payload) =>
            {
                var message = new byte[NetlinkConstants.HeaderLength + payload.Length];
                BitConverter.TryWriteBytes(message.AsSpan(0), (uint)message.Length);
                BitConverter.TryWriteBytes(message.AsSpan(4), type);
                payload.CopyTo(message, NetlinkConstants.HeaderLength);
                return message;
            });

    /// <summary>A genlmsghdr and one nested attribute of type <paramref name="outer"/> holding the given attributes.</summary>
    private static byte[] Attributes(int outer, (int Type, byte[] Value)[] inner)
    {
        var body = new List<byte>();
        foreach (var (type, value) in inner)
        {
            int length = 4 + value.Length;
            body.AddRange(BitConverter.GetBytes((ushort)length));
            body.AddRange(BitConverter.GetBytes((ushort)type));
            body.AddRange(value);
            while (body.Count % 4 != 0) body.Add(0);
        }
        var payload = new List<byte> { 1, 1, 0, 0 };
        payload.AddRange(BitConverter.GetBytes((ushort)(4 + body.Count)));
        payload.AddRange(BitConverter.GetBytes((ushort)(outer | 0x8000)));
        payload.AddRange(body);
        return payload.ToArray();
    }

    public static Gen<byte[]> Inputs => Gen.Frequency((5, Fuzzing.ByteMutations(Seeds())), (4, Framed), (1, Gen.Byte.Array[0, 200]));

    [Fact]
    public void Seeded_run_throws_only_InvalidDataException()
    {
        Assert.True(Fuzzing.Run("netlink decoder", Inputs, Property, Fuzzing.Hex, iterations: 5000, seed: 20261128) >= 5000);
    }
}
