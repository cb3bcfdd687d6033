using System.Net;
using System.Net.Sockets;
using LvsPs.Model;

namespace LvsPs.Tests.Model;

public class SettingsValidationTests
{
    private static readonly VirtualServiceId Tcp80 = VirtualServiceId.Parse("tcp/10.0.0.1:80");

    [Theory]
    [InlineData(-1)]
    [InlineData(65536)]
    public void Weight_outside_ipvsadm_range_is_refused(int weight)
    {
        var e = Assert.Throws<LvsException>(() => new RealServerSettings { Id = RealServerId.Create(IPAddress.Loopback, 80), Weight = weight }.Validate());
        Assert.Equal("InvalidWeight", e.ErrorId);
        Assert.Contains(weight.ToString(), e.Message);
        Assert.Contains("0..65535", e.Message);
    }

    [Fact]
    public void Lower_threshold_above_upper_is_refused()
    {
        var e = Assert.Throws<LvsException>(() => new RealServerSettings { Id = RealServerId.Create(IPAddress.Loopback, 80), UpperThreshold = 10, LowerThreshold = 20 }.Validate());
        Assert.Equal("InvalidThresholds", e.ErrorId);
    }

    [Fact]
    public void Port_zero_needs_persistence()
    {
        var id = VirtualServiceId.Parse("tcp/10.0.0.1:0");
        Assert.Equal("ZeroPortNotPersistent", Assert.Throws<LvsException>(() => new VirtualServiceSettings { Id = id }.Validate()).ErrorId);
        new VirtualServiceSettings { Id = id, PersistenceTimeout = 300 }.Validate();
    }

    [Fact]
    public void One_packet_is_for_udp_only()
    {
        Assert.Equal("OnePacketNotUdp", Assert.Throws<LvsException>(() => new VirtualServiceSettings { Id = Tcp80, OnePacket = true }.Validate()).ErrorId);
        new VirtualServiceSettings { Id = VirtualServiceId.Parse("udp/10.0.0.1:53"), OnePacket = true }.Validate();
    }

    [Fact]
    public void Flags_word_matches_the_kernel_bits()
    {
        var s = new VirtualServiceSettings { Id = VirtualServiceId.Parse("udp/10.0.0.1:53"), PersistenceTimeout = 60, OnePacket = true, SchedulerFlags = SchedulerFlags.Fallback | SchedulerFlags.Port };
        // IP_VS_SVC_F_PERSISTENT 0x1 | IP_VS_SVC_F_ONEPACKET 0x4 | IP_VS_SVC_F_SCHED1 0x8 | IP_VS_SVC_F_SCHED2 0x10
        Assert.Equal(0x1du, (uint)s.Flags);
    }

    [Theory]
    [InlineData("255.255.255.0", 0xFFFFFF00u)]
    [InlineData("/24", 0xFFFFFF00u)]
    [InlineData("16", 0xFFFF0000u)]
    [InlineData("32", 0xFFFFFFFFu)]
    public void IPv4_netmask_forms(string text, uint expected) => Assert.Equal(expected, NetmaskText.Parse(text, AddressFamily.InterNetwork));

    [Fact]
    public void IPv6_netmask_is_a_prefix_length()
    {
        Assert.Equal(64u, NetmaskText.Parse("64", AddressFamily.InterNetworkV6));
        Assert.Equal("InvalidNetmask", Assert.Throws<LvsException>(() => NetmaskText.Parse("129", AddressFamily.InterNetworkV6)).ErrorId);
        Assert.Equal(0xFF00FF00u, NetmaskText.Parse("255.0.255.0", AddressFamily.InterNetwork)); // parsed; Validate refuses it
    }

    [Fact]
    public void Non_contiguous_IPv4_mask_is_refused()
    {
        var e = Assert.Throws<LvsException>(() => new VirtualServiceSettings { Id = Tcp80, PersistenceTimeout = 1, Netmask = 0xFF00FF00 }.Validate());
        Assert.Equal("InvalidNetmask", e.ErrorId);
        Assert.Contains("255.0.255.0", e.Message);
    }

    [Fact]
    public void Timeouts_merge_keeps_zero_fields()
    {
        var t = new LvsTimeouts().Merge(new LvsTimeouts(0, 30, 0));
        Assert.Equal(new LvsTimeouts(900, 30, 300), t);
        Assert.Equal("InvalidTimeout", Assert.Throws<LvsException>(() => new LvsTimeouts(3_000_000, 0, 0).ValidateChange()).ErrorId);
    }
}
