using LvsPs.Tests.Fuzz;

namespace LvsPs.Tests.Netlink;

/// <summary>Inputs the netlink decoder fuzz target found: each once escaped as another exception than InvalidDataException.</summary>
public sealed class NetlinkDecoderRegressionTests
{
    [Theory]
    [InlineData("130000002000000000000000000000007F4794")] // a 3-byte payload: too short for the genlmsghdr (ArgumentOutOfRangeException)
    [InlineData("7400000020000000010000000000000001010000040001805C00018006000100020000000600020006020000140003000A0000010000000000000000000000000600040000500000080006007772720008000B00736970000C00070001000000FFFFFFFF080008002C01000008000900FFFFFFFF")] // protocol 518 (LvsException from VirtualServiceId.ForAddress; long run, seed 7, input 169148)
    public void A_malformed_reply_is_InvalidDataException(string hex)
    {
        Assert.Throws<InvalidDataException>(() => NetlinkDecoderFuzzTests.Decode(Convert.FromHexString(hex)));
    }
}
