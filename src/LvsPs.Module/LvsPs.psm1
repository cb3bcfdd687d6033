# LvsPs root module. The cmdlets live in LvsPs.Commands.dll (a nested module); this script module is the root so that
# Pester's InModuleScope works and so that the DSC resource classes have a home.

# Stop the in-session director, and release its sockets, when the module is removed.
$ExecutionContext.SessionState.Module.OnRemove = {
    [LvsPs.Commands.LvsSession]::Shutdown()
}
