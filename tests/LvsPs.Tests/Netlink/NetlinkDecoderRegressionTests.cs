using LvsPs.Tests.Fuzz;

namespace LvsPs.Tests.Netlink;

/// <summary>Inputs the netlink decoder fuzz target found: each once escaped as another exception than InvalidDataException.</summary>
public sealed class NetlinkDecoderRegressionTests
{
    [Theory]
    [InlineData("130000002000000000000000000000007F4794")] // a 3-byte payload: too short for the genlmsghdr (ArgumentOutOfRangeException)
    public void A_malformed_reply_is_InvalidDataException(string hex)
    {
        Assert.Throws<InvalidDataException>(() => NetlinkDecoderFuzzTests.Decode(Convert.FromHexString(hex)));
    }
}
