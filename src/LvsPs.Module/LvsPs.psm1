# LvsPs root module. The cmdlets live in LvsPs.Commands.dll (a nested module); this script module is the root so that
# Pester's InModuleScope works and so that the DSC resource classes have a home.

# Stop the in-session director, and release its sockets, when the module is removed.
$ExecutionContext.SessionState.Module.OnRemove = {
    [LvsPs.Commands.LvsSession]::Shutdown()
}

# ---------------------------------------------------------------------------------------------------------------------
# Class-based DSC resources. Each is a thin shell over the C# facade [LvsPs.Commands.Dsc.LvsDsc], which runs the same
# reconcile planner as Import-LvsConfiguration: Get/Test/Set agree with Compare-LvsConfiguration and the DSC v3
# resources (dsc/*.dsc.resource.json). Properties left $null are not managed. Director (optional) names the director
# as -Director does (Managed, Kernel, Service:/run/lvsps/director.sock); without it the session's director is used.
# ---------------------------------------------------------------------------------------------------------------------

enum Ensure {
    Present
    Absent
}

# Why a resource is not in the desired state (as DscCommunity's resources report it).
class LvsReason {
    [DscProperty()]
    [string] $Code

    [DscProperty()]
    [string] $Phrase
}

# Runs a facade operation with the resource's non-null properties.
function Invoke-LvsDscFacade {
    param([string] $Resource, [string] $Operation, [object] $Instance, [string[]] $Properties)
    $props = @{}
    foreach ($name in $Properties) {
        $value = $Instance.$name
        if ($null -ne $value) { $props[$name] = $value }
    }
    ([type] 'LvsPs.Commands.Dsc.LvsDsc')::Invoke($Resource, $Operation, $props)
}

function ConvertTo-LvsReason {
    param($Outcome)
    , @($Outcome.Reasons | ForEach-Object { $r = [LvsReason]::new(); $r.Code = $_.Code; $r.Phrase = $_.Phrase; $r })
}

[DscResource()]
class LvsVirtualService {
    # The service: tcp/ADDRESS:PORT, udp/..., sctp/..., fwm/MARK or fwm6/MARK.
    [DscProperty(Key)]
    [string] $VirtualService

    [DscProperty()]
    [Ensure] $Ensure = [Ensure]::Present

    [DscProperty()]
    [string] $Scheduler

    [DscProperty()]
    [Nullable[uint32]] $PersistenceTimeout

    [DscProperty()]
    [string] $PersistenceNetmask

    [DscProperty()]
    [Nullable[bool]] $OnePacket

    [DscProperty()]
    [string[]] $SchedulerFlags

    [DscProperty()]
    [string] $PersistenceEngine

    # The application helper: None or Ftp (the FTP helper follows the data connections of an FTP session).
    [DscProperty()]
    [string] $Helper

    # PROXY protocol towards real servers: None, V1 or V2 (managed engine).
    [DscProperty()]
    [string] $SendProxy

    [DscProperty()]
    [Nullable[bool]] $AcceptProxy

    [DscProperty()]
    [Nullable[bool]] $Transparent

    # Content rules in order: @{ match = 'Host'; pattern = 'api.example.com'; group = 'api' } (name for Header/Cookie).
    [DscProperty()]
    [hashtable[]] $ContentRules

    [DscProperty()]
    [string] $DefaultGroup

    [DscProperty()]
    [string] $Director

    [DscProperty(NotConfigurable)]
    [LvsReason[]] $Reasons

    hidden static [string[]] $Managed = @('VirtualService', 'Ensure', 'Scheduler', 'PersistenceTimeout', 'PersistenceNetmask', 'OnePacket', 'SchedulerFlags', 'PersistenceEngine', 'Helper', 'SendProxy', 'AcceptProxy', 'Transparent', 'ContentRules', 'DefaultGroup', 'Director')

    [LvsVirtualService] Get() {
        $outcome = Invoke-LvsDscFacade -Resource VirtualService -Operation Get -Instance $this -Properties ([LvsVirtualService]::Managed)
        $s = $outcome.State
        $result = [LvsVirtualService]::new()
        $result.VirtualService = $this.VirtualService
        $result.Director = $this.Director
        $result.Ensure = if ($s['_exist']) { [Ensure]::Present } else { [Ensure]::Absent }
        if ($s['_exist']) {
            $result.Scheduler = $s['scheduler']
            $result.PersistenceTimeout = $s['persistenceTimeout']
            $result.PersistenceNetmask = $s['persistenceNetmask']
            $result.OnePacket = $s['onePacket']
            $result.SchedulerFlags = $s['schedulerFlags']
            $result.PersistenceEngine = $s['persistenceEngine']
            $result.Helper = $s['helper']
            $result.SendProxy = $s['sendProxy']
            $result.AcceptProxy = $s['acceptProxy']
            $result.Transparent = $s['transparent']
            $result.ContentRules = @($s['contentRules'] | ForEach-Object { $h = @{}; foreach ($k in $_.Keys) { $h[$k] = $_[$k] }; $h })
            $result.DefaultGroup = $s['defaultGroup']
        }
        $result.Reasons = ConvertTo-LvsReason $outcome
        return $result
    }

    [bool] Test() {
        return (Invoke-LvsDscFacade -Resource VirtualService -Operation Test -Instance $this -Properties ([LvsVirtualService]::Managed)).InDesiredState
    }

    [void] Set() {
        $null = Invoke-LvsDscFacade -Resource VirtualService -Operation Set -Instance $this -Properties ([LvsVirtualService]::Managed)
    }
}

[DscResource()]
class LvsRealServer {
    # The service the real server belongs to (it must exist; LvsVirtualService creates it).
    [DscProperty(Key)]
    [string] $VirtualService

    [DscProperty(Key)]
    [string] $Address

    # The real server's port; 0 for a firewall-mark service's real server (or the service's port).
    [DscProperty(Key)]
    [uint16] $Port

    [DscProperty()]
    [Ensure] $Ensure = [Ensure]::Present

    # Masquerade, DirectRoute or Tunnel.
    [DscProperty()]
    [string] $Forwarding

    [DscProperty()]
    [Nullable[int]] $Weight

    [DscProperty()]
    [Nullable[uint32]] $UpperThreshold

    [DscProperty()]
    [Nullable[uint32]] $LowerThreshold

    # The tunnel of Tunnel forwarding (kernel): IpIp, Gue or Gre.
    [DscProperty()]
    [string] $TunnelType

    # The destination port of a GUE tunnel.
    [DscProperty()]
    [Nullable[uint16]] $TunnelPort

    # Checksum, RemoteChecksum (GUE); none when empty.
    [DscProperty()]
    [string[]] $TunnelFlags

    # PROXY protocol towards this real server: None, V1, V2, or Inherit (the service's).
    [DscProperty()]
    [string] $SendProxy

    # The content-routing group ('' for none).
    [DscProperty()]
    [string] $Group

    [DscProperty()]
    [string] $Director

    [DscProperty(NotConfigurable)]
    [LvsReason[]] $Reasons

    hidden static [string[]] $Managed = @('VirtualService', 'Address', 'Port', 'Ensure', 'Forwarding', 'Weight', 'UpperThreshold', 'LowerThreshold', 'TunnelType', 'TunnelPort', 'TunnelFlags', 'SendProxy', 'Group', 'Director')

    [LvsRealServer] Get() {
        $outcome = Invoke-LvsDscFacade -Resource RealServer -Operation Get -Instance $this -Properties ([LvsRealServer]::Managed)
        $s = $outcome.State
        $result = [LvsRealServer]::new()
        $result.VirtualService = $this.VirtualService
        $result.Address = $this.Address
        $result.Port = $this.Port
        $result.Director = $this.Director
        $result.Ensure = if ($s['_exist']) { [Ensure]::Present } else { [Ensure]::Absent }
        if ($s['_exist']) {
            $result.Forwarding = $s['forwarding']
            $result.Weight = $s['weight']
            $result.UpperThreshold = $s['upperThreshold']
            $result.LowerThreshold = $s['lowerThreshold']
            if ($s.Contains('tunnelType')) {
                $result.TunnelType = $s['tunnelType']
                $result.TunnelPort = $s['tunnelPort']
                $result.TunnelFlags = $s['tunnelFlags']
            }
            $result.SendProxy = $s['sendProxy']
            $result.Group = $s['group']
        }
        $result.Reasons = ConvertTo-LvsReason $outcome
        return $result
    }

    [bool] Test() {
        return (Invoke-LvsDscFacade -Resource RealServer -Operation Test -Instance $this -Properties ([LvsRealServer]::Managed)).InDesiredState
    }

    [void] Set() {
        $null = Invoke-LvsDscFacade -Resource RealServer -Operation Set -Instance $this -Properties ([LvsRealServer]::Managed)
    }
}

[DscResource()]
class LvsConfiguration {
    # A director document (YAML or JSON) or ipvsadm rules.
    [DscProperty(Key)]
    [string] $Path

    # Also remove services and real servers the document does not name.
    [DscProperty()]
    [bool] $Prune

    [DscProperty()]
    [string] $Director

    [DscProperty(NotConfigurable)]
    [LvsReason[]] $Reasons

    hidden static [string[]] $Managed = @('Path', 'Prune', 'Director')

    [LvsConfiguration] Get() {
        $outcome = Invoke-LvsDscFacade -Resource Configuration -Operation Get -Instance $this -Properties ([LvsConfiguration]::Managed)
        $result = [LvsConfiguration]::new()
        $result.Path = $this.Path
        $result.Prune = $this.Prune
        $result.Director = $this.Director
        $result.Reasons = ConvertTo-LvsReason $outcome
        return $result
    }

    [bool] Test() {
        return (Invoke-LvsDscFacade -Resource Configuration -Operation Test -Instance $this -Properties ([LvsConfiguration]::Managed)).InDesiredState
    }

    [void] Set() {
        $null = Invoke-LvsDscFacade -Resource Configuration -Operation Set -Instance $this -Properties ([LvsConfiguration]::Managed)
    }
}
