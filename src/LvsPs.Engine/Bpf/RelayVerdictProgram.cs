namespace LvsPs.Engine.Bpf;

/// <summary>
/// The stream-verdict program (BPF_PROG_TYPE_SK_SKB, attached as BPF_SK_SKB_STREAM_VERDICT) that relays a connection
/// inside the kernel. Each relayed socket has an entry in the peers map, keyed by its socket cookie
/// (bpf_get_socket_cookie, the value SO_COOKIE gives user space): the sockmap slot of the other socket of its relay,
/// then the bytes and messages it has relayed. For every skb read from a socket the program adds skb->len and one
/// message to that socket's entry and redirects the skb to the peer's slot in the targets sockmap with bpf_sk_redirect_map (flags 0: out of
/// the peer's sending side). A socket without an entry passes its data to its own receive queue (SK_PASS). An empty
/// skb (the FIN, which tcp_read_skb hands over like data) is dropped: redirected, the peer's backlog would try to send
/// 0 bytes, take the 0 for an error and break the peer's pipe with EPIPE (net/core/skmsg.c sk_psock_backlog, measured
/// on Linux 6.18). The FIN itself is passed on by user space (<see cref="Tcp.FastRelay"/>).
/// No stream parser is attached: since Linux 5.8 a verdict program alone takes each skb as it arrives
/// (net/core/sock_map.c sock_map_link starts sk_psock_start_verdict without a parser).
/// </summary>
internal static class RelayVerdictProgram
{
    // enum bpf_func_id (include/uapi/linux/bpf.h)
    private const int BPF_FUNC_map_lookup_elem = 1, BPF_FUNC_get_socket_cookie = 46, BPF_FUNC_sk_redirect_map = 52;

    /// <summary>enum sk_action: SK_DROP, SK_PASS.</summary>
    private const int SK_DROP = 0, SK_PASS = 1;

    /// <summary>Offset of len in struct __sk_buff (its first field).</summary>
    private const short SkbLen = 0;

    /// <summary>A peers-map value: u32 peer slot, u32 unused, u64 bytes, u64 messages.</summary>
    public const int PeerOffset = 0, BytesOffset = 8, MessagesOffset = 16, ValueSize = 24;

    public static byte[] Assemble(int targetsFd, int peersFd)
    {
        var a = new BpfAssembler();
        var pass = new BpfAssembler.Label();
        var drop = new BpfAssembler.Label();
        a.Mov(BpfReg.R6, BpfReg.R1)                                          // r6 = skb
         .Load(BpfAssembler.BPF_W, BpfReg.R8, BpfReg.R6, SkbLen)              // r8 = skb->len
         .JumpIfEqual(BpfReg.R8, 0, drop)                                     // a bare FIN: nothing to relay
         .Call(BPF_FUNC_get_socket_cookie)                                    // r0 = cookie of skb->sk
         .Store(BpfAssembler.BPF_DW, BpfReg.R10, -8, BpfReg.R0)               // key on the stack
         .Mov(BpfReg.R2, BpfReg.R10).Add(BpfReg.R2, -8)
         .LoadMap(BpfReg.R1, peersFd)
         .Call(BPF_FUNC_map_lookup_elem)                                      // r0 = &peers[cookie] or NULL
         .JumpIfEqual(BpfReg.R0, 0, pass)
         .Mov(BpfReg.R7, BpfReg.R0)
         .AtomicAdd64(BpfReg.R7, BytesOffset, BpfReg.R8)
         .Mov(BpfReg.R1, 1)
         .AtomicAdd64(BpfReg.R7, MessagesOffset, BpfReg.R1)
         .Load(BpfAssembler.BPF_W, BpfReg.R3, BpfReg.R7, PeerOffset)          // r3 = the peer's slot
         .Mov(BpfReg.R1, BpfReg.R6)
         .LoadMap(BpfReg.R2, targetsFd)
         .Mov(BpfReg.R4, 0)
         .Call(BPF_FUNC_sk_redirect_map)                                      // SK_PASS (redirected) or SK_DROP
         .Exit()
         .Mark(pass)
         .Mov(BpfReg.R0, SK_PASS)
         .Exit()
         .Mark(drop)
         .Mov(BpfReg.R0, SK_DROP)
         .Exit();
        return a.Assemble();
    }
}
