using System.Globalization;
using System.Text;
using System.Text.Json;
using Itoc360.Domain;
using Itoc360.Domain.Incidents;
using Itoc360.Web.Data;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Itoc360.Web.Features.Webhooks;

/// <summary>
/// The ingest writer's storage: one dedicated SQLite connection with prepared statements bound by
/// position, used by the single writer only. It writes the same rows, in the same formats, as the EF
/// Core model (<see cref="AppDbContext"/>), so everything else reads them through EF as usual. It
/// exists because EF's change tracking cost ~0.65 ms of CPU per webhook, and ADO.NET's per-execution
/// work (statement enumeration, binding by name) most of what remained, both measured.
/// </summary>
internal sealed class SqliteIngestStore : IDisposable
{
    // EF Core's SQLite formats: GUIDs as upper-case text, DateTime as this text, enums as their names.
    private const string DateFormat = "yyyy-MM-dd HH:mm:ss.FFFFFFF";

    private const string IncidentColumns =
        "\"Id\", \"Number\", \"SourceId\", \"DedupKey\", \"Title\", \"Priority\", \"Status\", \"SnoozedUntil\", \"CreatedAt\", " +
        "\"LastAlertAt\", \"AlertCount\", \"AcknowledgedAt\", \"AcknowledgedBy\", \"ResolvedAt\", \"ResolvedBy\", \"Version\", " +
        "\"QuietMinutes\", \"QuietSince\"";

    private readonly SqliteConnection _connection;
    private readonly sqlite3 _db;
    private readonly FileStream? _wal;
    private readonly sqlite3_stmt _begin;
    private readonly sqlite3_stmt _commit;
    private readonly sqlite3_stmt _rollback;
    private readonly sqlite3_stmt _findEvents;
    private readonly sqlite3_stmt _findOpen;
    private readonly sqlite3_stmt _maxNumber;
    private readonly sqlite3_stmt _insertIncident;
    private readonly sqlite3_stmt _updateIncident;
    private readonly sqlite3_stmt _insertAlert;
    private readonly sqlite3_stmt _insertTimeline;
    private readonly sqlite3_stmt _insertDelivery;
    private readonly sqlite3_stmt _touchSource;
    private readonly sqlite3_stmt _touchToken;
    private readonly sqlite3_stmt _startEscalation;
    private readonly sqlite3_stmt _stopEscalations;
    private readonly sqlite3_stmt _stopTargets;
    private readonly sqlite3_stmt _cancelPages;
    private readonly sqlite3_stmt[] _all;
    private bool _inTransaction;

    public SqliteIngestStore(string connectionString)
    {
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        using (var pragmas = _connection.CreateCommand())
        {
            // Commits here write the WAL without syncing it; SyncWal() makes them durable before anyone is answered,
            // so one fsync on the flusher covers many commits while the writer goes on. Checkpoints run elsewhere.
            // The first read opens (creates) the -wal file; it stays while this connection is open.
            // Statement journals (an insert that fires the incident-count trigger or checks a unique index keeps one) and
            // the batch look-ups' temporary tables stay in memory: on disk they spilled to a temp file, which was about
            // half of all write calls per webhook (measured with strace under bench/run's load).
            pragmas.CommandText = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; " +
                "PRAGMA wal_autocheckpoint = 0; PRAGMA temp_store = MEMORY; SELECT COUNT(*) FROM sqlite_master;";
            pragmas.ExecuteNonQuery();
        }

        var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (!string.IsNullOrEmpty(file) && file != ":memory:" && File.Exists(file + "-wal"))
        {
            // SQLite locks the database and -shm files, never the -wal file, so holding our own handle on it is safe.
            _wal = new FileStream(file + "-wal", FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, 1);
        }
        else
        {
            // No write-ahead log to sync ourselves: let every commit sync.
            using var full = _connection.CreateCommand();
            full.CommandText = "PRAGMA synchronous = FULL;";
            full.ExecuteNonQuery();
        }

        _db = _connection.Handle!;
        _begin = Prepare("BEGIN IMMEDIATE");
        _commit = Prepare("COMMIT");
        _rollback = Prepare("ROLLBACK");
        // One look-up per batch for each: the keys go in as a JSON array.
        _findEvents = Prepare("SELECT \"SourceId\", \"EventId\", \"IncidentId\" FROM \"Deliveries\" WHERE \"EventId\" IN (SELECT value FROM json_each(?1))");
        _findOpen = Prepare($"SELECT {IncidentColumns} FROM \"Incidents\" WHERE \"DedupKey\" IN (SELECT value FROM json_each(?1)) AND \"Status\" <> 'Resolved'");
        _maxNumber = Prepare("SELECT COALESCE(MAX(\"Number\"), 0) FROM \"Incidents\"");
        _insertIncident = Prepare($"INSERT INTO \"Incidents\" ({IncidentColumns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)");
        _updateIncident = Prepare(
            "UPDATE \"Incidents\" SET \"Title\" = ?1, \"Priority\" = ?2, \"Status\" = ?3, \"SnoozedUntil\" = ?4, \"LastAlertAt\" = ?5, " +
            "\"AlertCount\" = ?6, \"AcknowledgedAt\" = ?7, \"AcknowledgedBy\" = ?8, \"ResolvedAt\" = ?9, \"ResolvedBy\" = ?10, \"Version\" = ?11, " +
            "\"QuietMinutes\" = ?14, \"QuietSince\" = ?15 WHERE \"Id\" = ?12 AND \"Version\" = ?13");
        _insertAlert = Prepare(
            "INSERT INTO \"Alerts\" (\"IncidentId\", \"DeliveryId\", \"Action\", \"Title\", \"Priority\", \"ReceivedAt\", \"OccurredAt\", \"FieldsJson\") " +
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
        _insertTimeline = Prepare("INSERT INTO \"TimelineEntries\" (\"IncidentId\", \"At\", \"Kind\", \"By\", \"Via\", \"Text\") VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
        _insertDelivery = Prepare(
            "INSERT INTO \"Deliveries\" (\"Id\", \"SourceId\", \"ReceivedAt\", \"Method\", \"ContentType\", \"Query\", \"Body\", \"BodyLength\", \"Headers\", " +
            "\"RemoteAddress\", \"Outcome\", \"StatusCode\", \"Error\", \"IncidentId\", \"EventId\", \"ReplayOfId\") " +
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)");
        _touchSource = Prepare("UPDATE \"Sources\" SET \"LastDeliveryAt\" = ?1 WHERE \"Id\" = ?2");
        _touchToken = Prepare("UPDATE \"SourceTokens\" SET \"LastUsedAt\" = ?1 WHERE \"Id\" = ?2");
        // Paging (see Features/Paging/PagingLedger): the same rows the EF path writes, in the ingest transaction.
        _startEscalation = Prepare(
            "INSERT INTO \"Escalations\" (\"IncidentId\", \"PolicyId\", \"StartedAt\", \"StepIndex\", \"Repetition\", \"DueAt\", \"State\", \"Version\") " +
            "VALUES (?1, ?2, ?3, 0, 0, ?3, 'Active', 1)");
        _stopEscalations = Prepare(
            "UPDATE \"Escalations\" SET \"State\" = 'Stopping', \"StopKind\" = ?2, \"StoppedBy\" = ?3, \"StoppedAt\" = ?4, \"DueAt\" = NULL, " +
            "\"Version\" = \"Version\" + 1 WHERE \"IncidentId\" = ?1 AND \"State\" = 'Active'");
        _stopTargets = Prepare("UPDATE \"PageTargets\" SET \"DueAt\" = NULL WHERE \"IncidentId\" = ?1 AND \"DueAt\" IS NOT NULL");
        _cancelPages = Prepare(
            "UPDATE \"Notifications\" SET \"Status\" = 'Canceled', \"FinishedAt\" = ?2, \"Error\" = ?3, \"Version\" = \"Version\" + 1 " +
            "WHERE \"IncidentId\" = ?1 AND \"Status\" = 'Pending' AND \"Purpose\" = 'page'");
        _all = [_begin, _commit, _rollback, _findEvents, _findOpen, _maxNumber, _insertIncident, _updateIncident, _insertAlert, _insertTimeline,
            _insertDelivery, _touchSource, _touchToken, _startEscalation, _stopEscalations, _stopTargets, _cancelPages];
    }

    /// <summary>Takes the write lock (BEGIN IMMEDIATE) for one batch.</summary>
    public void Begin()
    {
        Execute(_begin);
        _inTransaction = true;
    }

    public void Commit()
    {
        Execute(_commit);
        _inTransaction = false;
    }

    public void Rollback()
    {
        if (!_inTransaction)
        {
            return;
        }

        _inTransaction = false;
        raw.sqlite3_reset(_rollback);
        raw.sqlite3_step(_rollback);
        raw.sqlite3_reset(_rollback);
    }

    /// <summary>
    /// Forces everything committed so far to disk: an fsync of the WAL file (fsync flushes the file, whichever
    /// descriptor wrote it). Without a WAL file (in-memory databases) commits are as durable as they get already.
    /// </summary>
    public void SyncWal() => _wal?.Flush(flushToDisk: true);

    /// <summary>Which of these vendor event ids were already delivered, per source, with their incidents.</summary>
    public void FindEvents(IReadOnlyCollection<string> eventIds, Dictionary<(SourceId, string), IncidentId?> into)
    {
        if (eventIds.Count == 0)
        {
            return;
        }

        var s = _findEvents;
        Text(s, 1, JsonSerializer.Serialize(eventIds));
        try
        {
            while (Step(s))
            {
                into[(new SourceId(Guid.Parse(Column(s, 0)!)), Column(s, 1)!)] = Column(s, 2) is { } incident ? new IncidentId(Guid.Parse(incident)) : null;
            }
        }
        finally
        {
            raw.sqlite3_reset(s);
        }
    }

    /// <summary>The open incidents with these dedup keys, of any source (the caller matches the source).</summary>
    public void FindOpen(IReadOnlyCollection<string> dedupKeys, Dictionary<(SourceId, string), Incident?> into)
    {
        if (dedupKeys.Count == 0)
        {
            return;
        }

        var s = _findOpen;
        Text(s, 1, JsonSerializer.Serialize(dedupKeys));
        try
        {
            while (Step(s))
            {
                var incident = Incident.Restore(
                    new IncidentId(Guid.Parse(Column(s, 0)!)), raw.sqlite3_column_int64(s, 1), new SourceId(Guid.Parse(Column(s, 2)!)),
                    Column(s, 3)!, Column(s, 4)!, Enum.Parse<Priority>(Column(s, 5)!), Enum.Parse<IncidentStatus>(Column(s, 6)!),
                    Date(s, 7), Date(s, 8)!.Value, Date(s, 9)!.Value, raw.sqlite3_column_int(s, 10), Date(s, 11), Column(s, 12),
                    Date(s, 13), Column(s, 14), raw.sqlite3_column_int(s, 15),
                    raw.sqlite3_column_type(s, 16) == raw.SQLITE_NULL ? null : raw.sqlite3_column_int(s, 16), Date(s, 17));
                into[(incident.SourceId, incident.DedupKey)] = incident;
            }
        }
        finally
        {
            raw.sqlite3_reset(s);
        }
    }

    public long MaxNumber()
    {
        try
        {
            Step(_maxNumber);
            return raw.sqlite3_column_int64(_maxNumber, 0);
        }
        finally
        {
            raw.sqlite3_reset(_maxNumber);
        }
    }

    public void InsertIncident(Incident i)
    {
        var s = _insertIncident;
        Text(s, 1, i.Id.Value);
        raw.sqlite3_bind_int64(s, 2, i.Number);
        Text(s, 3, i.SourceId.Value);
        Text(s, 4, i.DedupKey);
        Text(s, 5, i.Title);
        Text(s, 6, i.Priority.ToString());
        Text(s, 7, i.Status.ToString());
        Text(s, 8, i.SnoozedUntil);
        Text(s, 9, i.CreatedAt);
        Text(s, 10, i.LastAlertAt);
        raw.sqlite3_bind_int(s, 11, i.AlertCount);
        Text(s, 12, i.AcknowledgedAt);
        Text(s, 13, i.AcknowledgedBy);
        Text(s, 14, i.ResolvedAt);
        Text(s, 15, i.ResolvedBy);
        raw.sqlite3_bind_int(s, 16, i.Version);
        Int(s, 17, i.QuietMinutes);
        Text(s, 18, i.QuietSince);
        Execute(s);
    }

    /// <summary>Writes the incident's row if it still has <paramref name="expectedVersion"/>; throws if someone else changed it.</summary>
    public void UpdateIncident(Incident i, int expectedVersion)
    {
        var s = _updateIncident;
        Text(s, 1, i.Title);
        Text(s, 2, i.Priority.ToString());
        Text(s, 3, i.Status.ToString());
        Text(s, 4, i.SnoozedUntil);
        Text(s, 5, i.LastAlertAt);
        raw.sqlite3_bind_int(s, 6, i.AlertCount);
        Text(s, 7, i.AcknowledgedAt);
        Text(s, 8, i.AcknowledgedBy);
        Text(s, 9, i.ResolvedAt);
        Text(s, 10, i.ResolvedBy);
        raw.sqlite3_bind_int(s, 11, i.Version);
        Text(s, 12, i.Id.Value);
        raw.sqlite3_bind_int(s, 13, expectedVersion);
        Int(s, 14, i.QuietMinutes);
        Text(s, 15, i.QuietSince);
        Execute(s);
        if (raw.sqlite3_changes(_db) != 1)
        {
            throw new InvalidOperationException($"Incident {i.Id} changed while the ingest writer held it (version {expectedVersion}).");
        }
    }

    public void InsertAlert(Alert a)
    {
        var s = _insertAlert;
        Text(s, 1, a.IncidentId.Value);
        Text(s, 2, a.DeliveryId.Value);
        Text(s, 3, a.Action.ToString());
        Text(s, 4, a.Title);
        Text(s, 5, a.Priority.ToString());
        Text(s, 6, a.ReceivedAt);
        Text(s, 7, a.OccurredAt);
        Text(s, 8, a.FieldsJson);
        Execute(s);
    }

    public void InsertTimeline(TimelineEntry t)
    {
        var s = _insertTimeline;
        Text(s, 1, t.IncidentId.Value);
        Text(s, 2, t.At);
        Text(s, 3, t.Kind);
        Text(s, 4, t.By);
        Text(s, 5, t.Via.ToString());
        Text(s, 6, t.Text);
        Execute(s);
    }

    public void InsertDelivery(Delivery d)
    {
        var s = _insertDelivery;
        Text(s, 1, d.Id.Value);
        Text(s, 2, d.SourceId.Value);
        Text(s, 3, d.ReceivedAt);
        Text(s, 4, d.Method);
        Text(s, 5, d.ContentType);
        Text(s, 6, d.Query);
        raw.sqlite3_bind_blob(s, 7, d.Body);
        raw.sqlite3_bind_int64(s, 8, d.BodyLength);
        Text(s, 9, d.Headers);
        Text(s, 10, d.RemoteAddress);
        Text(s, 11, d.Outcome);
        raw.sqlite3_bind_int(s, 12, d.StatusCode);
        Text(s, 13, d.Error);
        Text(s, 14, d.IncidentId?.Value);
        Text(s, 15, d.EventId);
        Text(s, 16, d.ReplayOfId?.Value);
        Execute(s);
    }

    public void TouchSource(SourceId id, DateTime at)
    {
        Text(_touchSource, 1, at);
        Text(_touchSource, 2, id.Value);
        Execute(_touchSource);
    }

    public void TouchToken(long id, DateTime at)
    {
        Text(_touchToken, 1, at);
        raw.sqlite3_bind_int64(_touchToken, 2, id);
        Execute(_touchToken);
    }

    /// <summary>Starts paging for a new incident: its escalation's first step is due now.</summary>
    public void StartEscalation(IncidentId incident, Guid policyId, DateTime at)
    {
        Text(_startEscalation, 1, incident.Value);
        Text(_startEscalation, 2, policyId);
        Text(_startEscalation, 3, at);
        Execute(_startEscalation);
    }

    /// <summary>Stops paging for an incident that left Triggered: pending pages are canceled, the people paged are told later.</summary>
    public void StopPaging(IncidentId incident, string kind, string by, DateTime at)
    {
        Text(_stopEscalations, 1, incident.Value);
        Text(_stopEscalations, 2, kind);
        Text(_stopEscalations, 3, by);
        Text(_stopEscalations, 4, at);
        Execute(_stopEscalations);
        Text(_stopTargets, 1, incident.Value);
        Execute(_stopTargets);
        Text(_cancelPages, 1, incident.Value);
        Text(_cancelPages, 2, at);
        Text(_cancelPages, 3, $"Not sent: the incident was {kind}.");
        Execute(_cancelPages);
    }

    public void Dispose()
    {
        Rollback();
        foreach (var statement in _all)
        {
            statement.Dispose();
        }

        _connection.Dispose();
        _wal?.Dispose();
    }

    private sqlite3_stmt Prepare(string sql)
    {
        var rc = raw.sqlite3_prepare_v2(_db, sql, out var statement);
        if (rc != raw.SQLITE_OK)
        {
            throw new SqliteException($"Could not prepare '{sql}': {raw.sqlite3_errmsg(_db).utf8_to_string()}", rc);
        }

        return statement;
    }

    /// <summary>Runs a statement that returns no rows, then resets it and clears its bindings for the next use.</summary>
    private void Execute(sqlite3_stmt statement)
    {
        try
        {
            var rc = raw.sqlite3_step(statement);
            if (rc != raw.SQLITE_DONE && rc != raw.SQLITE_ROW)
            {
                throw new SqliteException($"SQLite error {rc}: {raw.sqlite3_errmsg(_db).utf8_to_string()}", rc);
            }
        }
        finally
        {
            raw.sqlite3_reset(statement);
            raw.sqlite3_clear_bindings(statement);
        }
    }

    private bool Step(sqlite3_stmt statement)
    {
        var rc = raw.sqlite3_step(statement);
        return rc switch
        {
            raw.SQLITE_ROW => true,
            raw.SQLITE_DONE => false,
            _ => throw new SqliteException($"SQLite error {rc}: {raw.sqlite3_errmsg(_db).utf8_to_string()}", rc),
        };
    }

    // Values are bound as UTF-8 from one reusable buffer (SQLite copies them): binding a string through SQLitePCL
    // allocates its UTF-8 copy, and GUIDs and dates would first be formatted as strings.
    private byte[] _utf8 = new byte[4096];

    private void Text(sqlite3_stmt s, int index, string? value)
    {
        if (value is null)
        {
            raw.sqlite3_bind_null(s, index);
            return;
        }

        var most = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (most > _utf8.Length)
        {
            _utf8 = new byte[Math.Max(most, _utf8.Length * 2)];
        }

        var length = Encoding.UTF8.GetBytes(value, _utf8);
        raw.sqlite3_bind_text(s, index, _utf8.AsSpan(0, length));
    }

    /// <summary>As EF Core stores a GUID: upper-case, with hyphens.</summary>
    private static void Text(sqlite3_stmt s, int index, Guid value)
    {
        Span<byte> text = stackalloc byte[36];
        value.TryFormat(text, out _, "D");
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is >= (byte)'a' and <= (byte)'f')
            {
                text[i] -= 'a' - 'A';
            }
        }

        raw.sqlite3_bind_text(s, index, text);
    }

    private static void Text(sqlite3_stmt s, int index, Guid? value)
    {
        if (value is { } v)
        {
            Text(s, index, v);
        }
        else
        {
            raw.sqlite3_bind_null(s, index);
        }
    }

    private static void Int(sqlite3_stmt s, int index, int? value)
    {
        if (value is { } v)
        {
            raw.sqlite3_bind_int(s, index, v);
        }
        else
        {
            raw.sqlite3_bind_null(s, index);
        }
    }

    private static void Text(sqlite3_stmt s, int index, DateTime value)
    {
        Span<byte> text = stackalloc byte[48];
        if (!value.TryFormat(text, out var length, DateFormat, CultureInfo.InvariantCulture))
        {
            throw new FormatException($"Could not format {value:O} for storage.");
        }

        raw.sqlite3_bind_text(s, index, text[..length]);
    }

    private static void Text(sqlite3_stmt s, int index, DateTime? value)
    {
        if (value is { } v)
        {
            Text(s, index, v);
        }
        else
        {
            raw.sqlite3_bind_null(s, index);
        }
    }

    private static string? Column(sqlite3_stmt s, int index) =>
        raw.sqlite3_column_type(s, index) == raw.SQLITE_NULL ? null : raw.sqlite3_column_text(s, index).utf8_to_string();

    private static DateTime? Date(sqlite3_stmt s, int index) =>
        Column(s, index) is { } text
            ? DateTime.SpecifyKind(DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.None), DateTimeKind.Utc)
            : null;
}
