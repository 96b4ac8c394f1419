using Itoc360.Domain;
using Itoc360.Domain.Incidents;
using Itoc360.Domain.Sources;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Itoc360.Web.Data;

public sealed class AppDbContext(DbContextOptions<AppDbContext> options) : IdentityDbContext<AppUser>(options)
{
    public DbSet<Source> Sources => Set<Source>();
    public DbSet<SourceToken> SourceTokens => Set<SourceToken>();
    public DbSet<Delivery> Deliveries => Set<Delivery>();
    public DbSet<Incident> Incidents => Set<Incident>();
    public DbSet<IncidentCount> IncidentCounts => Set<IncidentCount>();
    public DbSet<Alert> Alerts => Set<Alert>();
    public DbSet<TimelineEntry> Timeline => Set<TimelineEntry>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<AuditEntry> Audit => Set<AuditEntry>();
    public DbSet<BulkJob> BulkJobs => Set<BulkJob>();
    public DbSet<ContactMethod> ContactMethods => Set<ContactMethod>();
    public DbSet<ScheduleRow> Schedules => Set<ScheduleRow>();
    public DbSet<ScheduleOverrideRow> ScheduleOverrides => Set<ScheduleOverrideRow>();
    public DbSet<EscalationPolicyRow> EscalationPolicies => Set<EscalationPolicyRow>();
    public DbSet<Escalation> Escalations => Set<Escalation>();
    public DbSet<PageTarget> PageTargets => Set<PageTarget>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<InboundMessage> InboundMessages => Set<InboundMessage>();
    public DbSet<AppSecret> AppSecrets => Set<AppSecret>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<IncidentId>().HaveConversion<IncidentIdConverter>();
        configurationBuilder.Properties<SourceId>().HaveConversion<SourceIdConverter>();
        configurationBuilder.Properties<DeliveryId>().HaveConversion<DeliveryIdConverter>();
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<Priority>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<IncidentStatus>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<Via>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<AlertAction>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<Itoc360.Domain.Paging.NotificationStatus>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<Itoc360.Domain.Paging.ContactChannel>().HaveConversion<string>().HaveMaxLength(16);
    }

    private sealed class IncidentIdConverter() : ValueConverter<IncidentId, Guid>(id => id.Value, value => new IncidentId(value));
    private sealed class SourceIdConverter() : ValueConverter<SourceId, Guid>(id => id.Value, value => new SourceId(value));
    private sealed class DeliveryIdConverter() : ValueConverter<DeliveryId, Guid>(id => id.Value, value => new DeliveryId(value));

    /// <summary>Everything is stored as UTC; SQLite gives back unspecified kinds, so mark them.</summary>
    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        value => value.Kind == DateTimeKind.Utc ? value : value.ToUniversalTime(),
        value => DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
