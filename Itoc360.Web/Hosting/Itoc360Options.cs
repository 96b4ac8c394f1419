namespace Itoc360.Web.Hosting;

/// <summary>The <c>Itoc360</c> configuration section (appsettings.json or <c>Itoc360__…</c> variables).</summary>
public sealed class Itoc360Options
{
    public const string Section = "Itoc360";

    /// <summary>Folder for the SQLite database and the data-protection keys; default <c>./data</c> under the content root.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>Absolute URL used in webhook URLs, links and Twilio signature checks; default: the request's own base.</summary>
    public string? PublicBaseUrl { get; set; }

    public DatabaseOptions Database { get; set; } = new();
    public BootstrapOptions Bootstrap { get; set; } = new();
    public WebhookOptions Webhooks { get; set; } = new();
    public TwilioOptions Twilio { get; set; } = new();
    public JobsOptions Jobs { get; set; } = new();
    public PagingOptions Paging { get; set; } = new();
}

public sealed class PagingOptions
{
    /// <summary>Run the pager loop in this process (pages go out the moment an incident opens).</summary>
    public bool RunPump { get; set; } = true;

    /// <summary>How long a one-tap acknowledge link in an SMS works.</summary>
    public double AckLinkHours { get; set; } = 24;

    /// <summary>A send Twilio refused with 429/503 (after the client's own retries) is tried again this many times, later, before it counts as failed.</summary>
    public int MaxSendAttempts { get; set; } = 3;

    /// <summary>Answers to messages we could not understand, per number per hour; more get no answer (no reply loops with auto-responders).</summary>
    public int MaxUnhelpfulRepliesPerHour { get; set; } = 3;
}

public sealed class DatabaseOptions
{
    /// <summary><c>Sqlite</c> (default) or <c>Postgres</c>.</summary>
    public string Provider { get; set; } = "Sqlite";
}

public sealed class BootstrapOptions
{
    public string? AdminEmail { get; set; }
    public string? AdminPassword { get; set; }
    public string? ApiKey { get; set; }
}

public sealed class WebhookOptions
{
    /// <summary>Bodies larger than this are refused with 413 (the first bytes are still kept).</summary>
    public int MaxBodyBytes { get; set; } = 256 * 1024;

    /// <summary>How long a rotated-out token keeps working.</summary>
    public double TokenOverlapHours { get; set; } = 24;
}

public sealed class TwilioOptions
{
    public string ApiBaseUrl { get; set; } = "https://api.twilio.com";
    public string? AccountSid { get; set; }
    public string? AuthToken { get; set; }
    public string? ApiKeySid { get; set; }
    public string? ApiKeySecret { get; set; }
    public string? FromNumber { get; set; }
    public string? MessagingServiceSid { get; set; }

    /// <summary>Retries of a create that Twilio answered 429 or 503 (never of one it may have carried out).</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>The first retry's delay; each next one doubles it, with jitter, unless Twilio sends Retry-After.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Messages a second from one sender number (a long code takes about one); 0 = no pacing. Not used with a Messaging Service, which queues itself.</summary>
    public double MessagesPerSecondPerSender { get; set; } = 1;

    /// <summary>An alternate auth token also accepted on Twilio's callbacks (while rotating the primary one).</summary>
    public string? AlternateAuthToken { get; set; }

    /// <summary>The approved WhatsApp template (Content SID, <c>HX…</c>) used for pages; without it WhatsApp pages are sent as plain text (only delivered inside a 24 h session).</summary>
    public string? WhatsAppContentSid { get; set; }

    /// <summary>The template's variables as JSON, with <c>{priority}</c>, <c>{number}</c>, <c>{title}</c> and <c>{link}</c> filled in.</summary>
    public string WhatsAppContentVariables { get; set; } = "{\"1\":\"{priority} #{number}\",\"2\":\"{title}\",\"3\":\"{link}\"}";

    /// <summary>How long one request to Twilio may take before it counts as uncertain.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);
}

public sealed class JobsOptions
{
    /// <summary>Run the Hangfire server (the workers) in this process.</summary>
    public bool RunServer { get; set; } = true;

    /// <summary>Hangfire workers in this process.</summary>
    public int WorkerCount { get; set; } = 4;

    /// <summary>How often the sweeper looks for due work (snooze expiry, quiet periods, timeouts); a divisor of 60.</summary>
    public int SweepSeconds { get; set; } = 15;

    /// <summary>Days a delivery (raw request) is kept unless its source says otherwise; 0 keeps them for ever.</summary>
    public int DeliveryRetentionDays { get; set; } = 30;
}
