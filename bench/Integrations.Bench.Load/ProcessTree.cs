using System.Globalization;

namespace Integrations.Bench.Load;

/// <summary>
/// CPU time from Linux's /proc, to show where a scenario's time goes: the Server, Azurite, this process, and
/// everything else on the machine (other builds make these numbers noisy). Elsewhere every reading is zero.
/// </summary>
internal static class ProcessTree
{
    private static readonly double SecondsPerTick = 0.01; // USER_HZ is 100 on Linux.

    /// <summary>Ids of the direct children of <paramref name="parentId"/> whose command name is <paramref name="command"/>.</summary>
    public static IEnumerable<int> Children(int parentId, string command)
    {
        if (!OperatingSystem.IsLinux())
        {
            yield break;
        }

        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || ReadStat(pid) is not { } stat)
            {
                continue;
            }

            if (stat.ParentId == parentId && stat.Command == command)
            {
                yield return pid;
            }
        }
    }

    /// <summary>User + system CPU seconds of one process so far; 0 when it cannot be read.</summary>
    public static double CpuSeconds(int pid) => ReadStat(pid)?.CpuSeconds ?? 0;

    /// <summary>Busy CPU seconds of the whole machine so far (all cores; idle and iowait excluded).</summary>
    public static double MachineBusySeconds()
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var total = fields.Take(8).Sum(); // user nice system idle iowait irq softirq steal (guest is counted in user)
        return (total - fields[3] - fields[4]) * SecondsPerTick;
    }

    /// <summary>The 1, 5 and 15 minute load averages ("n/a" off Linux): how busy the shared machine was around a run.</summary>
    public static string LoadAverage() => OperatingSystem.IsLinux()
        ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3))
        : "n/a";

    private static (string Command, int ParentId, double CpuSeconds)? ReadStat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // pid (comm) state ppid … utime(14) stime(15): comm may hold spaces, so split after the last ')'.
        var open = text.IndexOf('(', StringComparison.Ordinal);
        var close = text.LastIndexOf(')');
        var rest = text[(close + 2)..].Split(' ');
        var ticks = long.Parse(rest[11], CultureInfo.InvariantCulture) + long.Parse(rest[12], CultureInfo.InvariantCulture);
        return (text[(open + 1)..close], int.Parse(rest[1], CultureInfo.InvariantCulture), ticks * SecondsPerTick);
    }
}
