using System.Globalization;

namespace Integrations.Testing;

/// <summary>
/// What Linux's /proc says about processes and their sockets: a process's descendants (to find the Server under its
/// guard) and which process owns the client end of a loopback TCP connection (so a receiver can tell which of two Server
/// instances sent a request, without the Server saying so). Off Linux every answer is empty.
/// </summary>
public static class LinuxProcesses
{
    /// <summary>Every descendant of <paramref name="parentId"/>, breadth first.</summary>
    public static IReadOnlyList<int> Descendants(int parentId)
    {
        if (!OperatingSystem.IsLinux())
        {
            return [];
        }

        var parents = new Dictionary<int, List<int>>();
        foreach (var pid in AllProcessIds())
        {
            if (ParentOf(pid) is { } parent)
            {
                (parents.TryGetValue(parent, out var children) ? children : parents[parent] = []).Add(pid);
            }
        }

        var found = new List<int>();
        var next = new Queue<int>([parentId]);
        while (next.TryDequeue(out var pid) && found.Count < 10_000)
        {
            foreach (var child in parents.GetValueOrDefault(pid) ?? [])
            {
                found.Add(child);
                next.Enqueue(child);
            }
        }

        return found;
    }

    /// <summary>The command name (<c>comm</c>) of a process, or null when it is gone.</summary>
    public static string? CommandOf(int pid) => Stat(pid) is { } stat ? stat[(stat.IndexOf('(', StringComparison.Ordinal) + 1)..stat.LastIndexOf(')')] : null;

    /// <summary>
    /// Which of <paramref name="candidates"/> owns the socket whose local port is <paramref name="clientPort"/> and whose
    /// peer port is <paramref name="serverPort"/> on loopback — the other end of a connection a server on loopback accepted —
    /// or null when none does (or the connection is already closed).
    /// </summary>
    public static int? OwnerOfConnection(int clientPort, int serverPort, IEnumerable<int> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (!OperatingSystem.IsLinux() || SocketInode(clientPort, serverPort) is not { } inode)
        {
            return null;
        }

        var link = "socket:[" + inode + "]";
        foreach (var pid in candidates)
        {
            try
            {
                foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
                {
                    if (new FileInfo(fd).LinkTarget == link)
                    {
                        return pid;
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile.
            }
        }

        return null;
    }

    // /proc/net/tcp{,6}: "sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode", addresses as HEXIP:HEXPORT.
    // A dual-mode .NET socket connected to 127.0.0.1 is listed in tcp6 (as ::ffff:127.0.0.1), so both files are read.
    private static string? SocketInode(int localPort, int remotePort)
    {
        var local = ":" + localPort.ToString("X4", CultureInfo.InvariantCulture);
        var remote = ":" + remotePort.ToString("X4", CultureInfo.InvariantCulture);
        foreach (var file in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            IEnumerable<string> lines;
            try
            {
                lines = File.ReadAllLines(file).Skip(1);
            }
            catch (IOException)
            {
                continue;
            }

            foreach (var line in lines)
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 9 && fields[1].EndsWith(local, StringComparison.Ordinal) && fields[2].EndsWith(remote, StringComparison.Ordinal))
                {
                    return fields[9];
                }
            }
        }

        return null;
    }

    private static IEnumerable<int> AllProcessIds() =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : -1)
            .Where(pid => pid > 0);

    private static int? ParentOf(int pid) => Stat(pid) is { } stat
        ? int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture)
        : null;

    private static string? Stat(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
