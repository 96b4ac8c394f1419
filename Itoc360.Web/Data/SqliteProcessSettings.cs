using SQLitePCL;

namespace Itoc360.Web.Data;

/// <summary>
/// Process-wide SQLite settings, applied before the first connection opens. SQLite is built "serialized": every
/// call on a connection takes that connection's mutex, and every allocation updates shared statistics under another.
/// Neither is needed here: ADO.NET hands each connection to one thread at a time (pooled connections, one DbContext
/// per unit of work, the ingest writer's own connection on its own loop), which is SQLite's multi-thread mode.
/// Under webhook load the two mutexes were about 3% of the server's CPU (perf).
/// </summary>
internal static class SqliteProcessSettings
{
    private static int _applied;

    /// <summary>True when SQLite took the settings; false when a connection had opened first (SQLite then stays serialized, only slower).</summary>
    public static bool Applied { get; private set; }

    public static void Apply()
    {
        if (Interlocked.Exchange(ref _applied, 1) == 1)
        {
            return;
        }

        Batteries_V2.Init();
        Applied = raw.sqlite3_config(raw.SQLITE_CONFIG_MULTITHREAD) == raw.SQLITE_OK
            & raw.sqlite3_config(raw.SQLITE_CONFIG_MEMSTATUS, 0) == raw.SQLITE_OK;
    }
}
