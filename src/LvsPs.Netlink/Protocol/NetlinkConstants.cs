namespace LvsPs.Netlink.Protocol;

/// <summary>Netlink and generic netlink constants (include/uapi/linux/netlink.h, genetlink.h).</summary>
public static class NetlinkConstants
{
    /// <summary>AF_NETLINK (include/linux/socket.h).</summary>
    public const int AfNetlink = 16;

    /// <summary>NETLINK_GENERIC (netlink.h).</summary>
    public const int ProtocolGeneric = 16;

    /// <summary>sizeof(struct nlmsghdr): u32 len, u16 type, u16 flags, u32 seq, u32 pid.</summary>
    public const int HeaderLength = 16;

    /// <summary>sizeof(struct genlmsghdr): u8 cmd, u8 version, u16 reserved.</summary>
    public const int GenericHeaderLength = 4;

    /// <summary>sizeof(struct nlattr): u16 len, u16 type.</summary>
    public const int AttributeHeaderLength = 4;

    /// <summary>NLMSG_ALIGNTO / NLA_ALIGNTO.</summary>
    public const int Alignment = 4;

    public static int Align(int length) => (length + Alignment - 1) & ~(Alignment - 1);

    // nlmsghdr types (netlink.h)
    public const ushort MessageNoop = 1;
    public const ushort MessageError = 2;
    public const ushort MessageDone = 3;
    public const ushort MessageOverrun = 4;

    // nlmsghdr flags (netlink.h)
    public const ushort FlagRequest = 0x01;
    public const ushort FlagMulti = 0x02;
    public const ushort FlagAck = 0x04;
    public const ushort FlagDump = 0x100 | 0x200; // NLM_F_ROOT | NLM_F_MATCH

    /// <summary>NLM_F_DUMP_INTR: the kernel's table changed while this dump was read, so it may be inconsistent.</summary>
    public const ushort FlagDumpInterrupted = 0x10;

    // nlattr type bits (netlink.h)
    public const ushort AttributeNested = 1 << 15;
    public const ushort AttributeNetByteOrder = 1 << 14;
    public const ushort AttributeTypeMask = unchecked((ushort)~(AttributeNested | AttributeNetByteOrder));

    // socket options (netlink.h): SOL_NETLINK 270, NETLINK_CAP_ACK 10
    public const int SolNetlink = 270;
    public const int OptionCapAck = 10;

    // generic netlink controller (genetlink.h)
    public const ushort ControllerFamilyId = 0x10; // GENL_ID_CTRL
    public const byte ControllerCommandGetFamily = 3; // CTRL_CMD_GETFAMILY
    public const ushort ControllerAttributeFamilyId = 1; // CTRL_ATTR_FAMILY_ID (u16)
    public const ushort ControllerAttributeFamilyName = 2; // CTRL_ATTR_FAMILY_NAME (string)
    public const ushort ControllerAttributeVersion = 3; // CTRL_ATTR_VERSION (u32)
}
