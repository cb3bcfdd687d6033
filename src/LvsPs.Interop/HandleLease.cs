using System.Runtime.InteropServices;

namespace LvsPs.Interop;

/// <summary>
/// A descriptor held by a <see cref="SafeHandle"/>, kept from being closed (and its number reused by another open) until
/// the lease is disposed: DangerousAddRef on creation, DangerousRelease on dispose. Every system call on a descriptor
/// that another thread may close goes through one.
/// </summary>
internal readonly ref struct HandleLease
{
    private readonly SafeHandle? _handle;

    /// <summary>Leases <paramref name="handle"/>; throws <see cref="ObjectDisposedException"/> once it is closed.</summary>
    public HandleLease(SafeHandle handle)
    {
        bool added = false;
        handle.DangerousAddRef(ref added); // throws ObjectDisposedException once the handle is closed
        _handle = handle;
        Fd = (int)handle.DangerousGetHandle();
    }

    /// <summary>Leases <paramref name="handle"/> when it is still open: false (and no lease) once it is closed.</summary>
    public static bool TryLease(SafeHandle handle, out HandleLease lease)
    {
        try
        {
            lease = new HandleLease(handle);
            return true;
        }
        catch (ObjectDisposedException)
        {
            lease = default;
            return false;
        }
    }

    /// <summary>The descriptor, valid while the lease is held; -1 for a default lease.</summary>
    public int Fd { get; } = -1;

    public void Dispose() => _handle?.DangerousRelease();
}
