using System.Buffers.Binary;

namespace LvsPs.Engine.Bpf;

/// <summary>A BPF register: r0 (return value), r1-r5 (arguments, clobbered by calls), r6-r9 (kept), r10 (frame pointer).</summary>
internal enum BpfReg : byte
{
    R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10,
}

/// <summary>
/// A tiny assembler for eBPF instructions (struct bpf_insn: u8 code, u8 dst_reg:4 src_reg:4, s16 off, s32 imm; little
/// endian). The opcode parts are those of include/uapi/linux/bpf_common.h and include/uapi/linux/bpf.h; only the
/// instructions the fast path's programs need are here. Jumps go to labels, resolved by <see cref="Assemble"/>.
/// </summary>
internal sealed class BpfAssembler
{
    // instruction classes (bpf_common.h, bpf.h)
    public const byte BPF_LD = 0x00, BPF_LDX = 0x01, BPF_ST = 0x02, BPF_STX = 0x03, BPF_ALU = 0x04, BPF_JMP = 0x05, BPF_ALU64 = 0x07;
    // sizes
    public const byte BPF_W = 0x00, BPF_H = 0x08, BPF_B = 0x10, BPF_DW = 0x18;
    // modes
    public const byte BPF_IMM = 0x00, BPF_MEM = 0x60, BPF_ATOMIC = 0xc0;
    // ALU operations and operand source
    public const byte BPF_ADD = 0x00, BPF_MOV = 0xb0, BPF_K = 0x00, BPF_X = 0x08;
    // jumps
    public const byte BPF_JA = 0x00, BPF_JEQ = 0x10, BPF_CALL = 0x80, BPF_EXIT = 0x90;

    /// <summary>src_reg of a 64-bit immediate load that holds a map's descriptor (bpf.h BPF_PSEUDO_MAP_FD).</summary>
    public const byte BPF_PSEUDO_MAP_FD = 1;

    private readonly List<(byte Code, byte Dst, byte Src, short Off, int Imm)> _code = new();
    private readonly List<(int At, Label Target)> _jumps = new();

    /// <summary>A jump target; placed once with <see cref="Mark"/>.</summary>
    public sealed class Label
    {
        internal int At { get; set; } = -1;
    }

    public int Count => _code.Count;

    private BpfAssembler Emit(byte code, BpfReg dst = 0, BpfReg src = 0, short off = 0, int imm = 0)
    {
        _code.Add((code, (byte)dst, (byte)src, off, imm));
        return this;
    }

    /// <summary>dst = src (64-bit).</summary>
    public BpfAssembler Mov(BpfReg dst, BpfReg src) => Emit(BPF_ALU64 | BPF_MOV | BPF_X, dst, src);

    /// <summary>dst = imm (64-bit, sign-extended).</summary>
    public BpfAssembler Mov(BpfReg dst, int imm) => Emit(BPF_ALU64 | BPF_MOV | BPF_K, dst, imm: imm);

    /// <summary>dst += imm (64-bit).</summary>
    public BpfAssembler Add(BpfReg dst, int imm) => Emit(BPF_ALU64 | BPF_ADD | BPF_K, dst, imm: imm);

    /// <summary>dst = *(size *)(src + off).</summary>
    public BpfAssembler Load(byte size, BpfReg dst, BpfReg src, short off) => Emit((byte)(BPF_LDX | BPF_MEM | size), dst, src, off);

    /// <summary>*(size *)(dst + off) = src.</summary>
    public BpfAssembler Store(byte size, BpfReg dst, short off, BpfReg src) => Emit((byte)(BPF_STX | BPF_MEM | size), dst, src, off);

    /// <summary>lock *(u64 *)(dst + off) += src (BPF_ATOMIC with imm BPF_ADD, formerly BPF_XADD).</summary>
    public BpfAssembler AtomicAdd64(BpfReg dst, short off, BpfReg src) => Emit(BPF_STX | BPF_ATOMIC | BPF_DW, dst, src, off, BPF_ADD);

    /// <summary>dst = the map with descriptor <paramref name="mapFd"/> (a two-slot BPF_LD | BPF_DW | BPF_IMM, src BPF_PSEUDO_MAP_FD).</summary>
    public BpfAssembler LoadMap(BpfReg dst, int mapFd)
    {
        Emit(BPF_LD | BPF_DW | BPF_IMM, dst, (BpfReg)BPF_PSEUDO_MAP_FD, imm: mapFd);
        return Emit(0); // the upper 32 bits of the immediate, zero
    }

    /// <summary>Calls helper <paramref name="helper"/> (enum bpf_func_id): arguments in r1-r5, result in r0.</summary>
    public BpfAssembler Call(int helper) => Emit(BPF_JMP | BPF_CALL, imm: helper);

    /// <summary>if (dst == imm) goto target.</summary>
    public BpfAssembler JumpIfEqual(BpfReg dst, int imm, Label target)
    {
        _jumps.Add((_code.Count, target));
        return Emit(BPF_JMP | BPF_JEQ | BPF_K, dst, imm: imm);
    }

    public BpfAssembler Exit() => Emit(BPF_JMP | BPF_EXIT);

    public BpfAssembler Mark(Label label)
    {
        if (label.At >= 0) throw new InvalidOperationException("A BPF label is placed twice.");
        label.At = _code.Count;
        return this;
    }

    /// <summary>The program as the bytes BPF_PROG_LOAD takes (8 per instruction).</summary>
    public byte[] Assemble()
    {
        var code = _code.ToArray();
        foreach (var (at, target) in _jumps)
        {
            if (target.At < 0) throw new InvalidOperationException("A BPF jump goes to a label that was never placed.");
            code[at].Off = checked((short)(target.At - at - 1)); // relative to the next instruction
        }
        var bytes = new byte[code.Length * 8];
        for (int i = 0; i < code.Length; i++)
        {
            var span = bytes.AsSpan(i * 8, 8);
            span[0] = code[i].Code;
            span[1] = (byte)(code[i].Dst | (code[i].Src << 4));
            BinaryPrimitives.WriteInt16LittleEndian(span[2..], code[i].Off);
            BinaryPrimitives.WriteInt32LittleEndian(span[4..], code[i].Imm);
        }
        return bytes;
    }
}
