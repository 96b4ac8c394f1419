using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Itoc360.Web.Data;

/// <summary>
/// Per-connection SQLite settings: wait for the write lock instead of failing, fsync the WAL on
/// commit (durable; the ingest writer groups many webhooks into one commit), enforce foreign keys,
/// and keep statement journals and sort/temporary tables in memory instead of temp files.
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
