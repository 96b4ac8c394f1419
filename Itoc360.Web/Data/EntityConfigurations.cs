using Itoc360.Domain.Incidents;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Itoc360.Web.Data;

internal sealed class SourceConfiguration : IEntityTypeConfiguration<Source>
{
    public void Configure(EntityTypeBuilder<Source> builder)
    {
        builder.Property(s => s.Name).HasMaxLength(200);
        builder.Property(s => s.Kind).HasMaxLength(64);
        builder.Property(s => s.Version).IsConcurrencyToken();
        builder.HasMany(s => s.Tokens).WithOne().HasForeignKey(t => t.SourceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SourceTokenConfiguration : IEntityTypeConfiguration<SourceToken>
{
    public void Configure(EntityTypeBuilder<SourceToken> builder) => builder.HasIndex(t => t.SourceId);
}

internal sealed class DeliveryConfiguration : IEntityTypeConfiguration<Delivery>
{
    public void Configure(EntityTypeBuilder<Delivery> builder)
    {
        builder.Property(d => d.Method).HasMaxLength(16);
        builder.Property(d => d.Outcome).HasMaxLength(16);
        builder.HasIndex(d => new { d.SourceId, d.ReceivedAt });
        builder.HasIndex(d => new { d.SourceId, d.Outcome, d.ReceivedAt });
        builder.HasIndex(d => d.IncidentId);
        // A vendor event id is accepted once per source: the database enforces it, not a check.
        builder.HasIndex(d => new { d.EventId, d.SourceId }).IsUnique().HasFilter("\"EventId\" IS NOT NULL");
        builder.HasOne<Source>().WithMany().HasForeignKey(d => d.SourceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class IncidentConfiguration : IEntityTypeConfiguration<Incident>
{
    public void Configure(EntityTypeBuilder<Incident> builder)
    {
        builder.HasKey(i => i.Id);
        builder.Ignore(i => i.State);
        builder.Ignore(i => i.IsOpen);
        builder.Ignore(i => i.PendingChanges);
        builder.Ignore(i => i.QuietDueAt);
        builder.Property(i => i.Title).HasMaxLength(Incident.MaxTitleLength);
        builder.Property(i => i.DedupKey).HasMaxLength(512);
        builder.Property(i => i.Version).IsConcurrencyToken();
        builder.HasIndex(i => i.Number).IsUnique();
        // One open incident per (source, dedup key): the database enforces it, not a check-then-insert.
        builder.HasIndex(i => new { i.DedupKey, i.SourceId }).IsUnique().HasFilter("\"Status\" <> 'Resolved'");
        builder.HasIndex(i => new { i.Status, i.CreatedAt });
        builder.HasIndex(i => i.CreatedAt);
        // The sweeper's look-ups: snoozes that run out, quiet periods that are set.
        builder.HasIndex(i => i.SnoozedUntil).HasFilter("\"SnoozedUntil\" IS NOT NULL");
        builder.HasIndex(i => i.QuietMinutes).HasFilter("\"QuietMinutes\" IS NOT NULL");
        builder.HasIndex(i => new { i.SourceId, i.Status, i.LastAlertAt });
        // A console filtered to one source pages newest first through this instead of walking every number.
        builder.HasIndex(i => new { i.SourceId, i.Number });
        builder.HasOne<Source>().WithMany().HasForeignKey(i => i.SourceId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(i => i.Timeline).WithOne().HasForeignKey(t => t.IncidentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(i => i.Alerts).WithOne().HasForeignKey(a => a.IncidentId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(i => i.Timeline).HasField("_timeline").UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.Navigation(i => i.Alerts).HasField("_alerts").UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class AlertConfiguration : IEntityTypeConfiguration<Alert>
{
    public void Configure(EntityTypeBuilder<Alert> builder)
    {
        builder.Property(a => a.Title).HasMaxLength(Incident.MaxTitleLength);
        builder.HasIndex(a => new { a.IncidentId, a.ReceivedAt });
    }
}

internal sealed class TimelineEntryConfiguration : IEntityTypeConfiguration<TimelineEntry>
{
    public void Configure(EntityTypeBuilder<TimelineEntry> builder)
    {
        builder.ToTable("TimelineEntries");
        builder.Property(t => t.Kind).HasMaxLength(64);
        builder.HasIndex(t => new { t.IncidentId, t.At });
    }
}

internal sealed class BulkJobConfiguration : IEntityTypeConfiguration<BulkJob>
{
    public void Configure(EntityTypeBuilder<BulkJob> builder)
    {
        builder.Property(j => j.Action).HasMaxLength(16);
        builder.Property(j => j.State).HasMaxLength(16);
        builder.HasIndex(j => j.State);
    }
}

internal sealed class ContactMethodConfiguration : IEntityTypeConfiguration<ContactMethod>
{
    public void Configure(EntityTypeBuilder<ContactMethod> builder)
    {
        builder.Property(c => c.Kind).HasMaxLength(16);
        builder.Property(c => c.Value).HasMaxLength(32);
        builder.Property(c => c.Language).HasMaxLength(16);
        // Replies are matched to people by the number they come from.
        builder.HasIndex(c => new { c.Value, c.Kind });
        builder.HasIndex(c => new { c.UserId, c.Kind, c.Value }).IsUnique();
        builder.HasOne<AppUser>().WithMany(u => u.ContactMethods).HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.HasIndex(k => k.Hash).IsUnique();
        builder.Property(k => k.Role).HasMaxLength(16);
    }
}

internal sealed class IncidentCountConfiguration : IEntityTypeConfiguration<IncidentCount>
{
    public void Configure(EntityTypeBuilder<IncidentCount> builder)
    {
        // Written only by the triggers of migration IncidentCounts; read-only to the application.
        builder.HasKey(c => new { c.SourceId, c.Priority, c.Status });
    }
}

internal sealed class ScheduleConfiguration : IEntityTypeConfiguration<ScheduleRow>
{
    public void Configure(EntityTypeBuilder<ScheduleRow> builder)
    {
        builder.ToTable("Schedules");
        builder.Property(s => s.Name).HasMaxLength(100);
        builder.Property(s => s.TimeZone).HasMaxLength(64);
        builder.Property(s => s.Rotation).HasMaxLength(16);
        builder.Property(s => s.Handoff).HasMaxLength(5);
        builder.Property(s => s.StartDate).HasMaxLength(10);
        builder.Property(s => s.Version).IsConcurrencyToken();
        builder.HasMany(s => s.Overrides).WithOne().HasForeignKey(o => o.ScheduleId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ScheduleOverrideConfiguration : IEntityTypeConfiguration<ScheduleOverrideRow>
{
    public void Configure(EntityTypeBuilder<ScheduleOverrideRow> builder)
    {
        builder.ToTable("ScheduleOverrides");
        builder.HasIndex(o => new { o.ScheduleId, o.EndUtc });
    }
}

internal sealed class EscalationPolicyConfiguration : IEntityTypeConfiguration<EscalationPolicyRow>
{
    public void Configure(EntityTypeBuilder<EscalationPolicyRow> builder)
    {
        builder.ToTable("EscalationPolicies");
        builder.Property(p => p.Name).HasMaxLength(100);
        builder.Property(p => p.Version).IsConcurrencyToken();
    }
}

internal sealed class EscalationConfiguration : IEntityTypeConfiguration<Escalation>
{
    public void Configure(EntityTypeBuilder<Escalation> builder)
    {
        builder.Property(e => e.State).HasMaxLength(16);
        builder.Property(e => e.StopKind).HasMaxLength(64);
        builder.Property(e => e.Version).IsConcurrencyToken();
        builder.HasIndex(e => e.IncidentId);
        // The pager's look-ups: steps that are due, and stops still to be told.
        builder.HasIndex(e => new { e.State, e.DueAt });
        builder.HasOne<Incident>().WithMany().HasForeignKey(e => e.IncidentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PageTargetConfiguration : IEntityTypeConfiguration<PageTarget>
{
    public void Configure(EntityTypeBuilder<PageTarget> builder)
    {
        builder.HasIndex(t => new { t.EscalationId, t.UserId }).IsUnique();
        builder.HasIndex(t => t.DueAt).HasFilter("\"DueAt\" IS NOT NULL");
        builder.HasIndex(t => t.IncidentId);
        builder.HasOne<Escalation>().WithMany().HasForeignKey(t => t.EscalationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> builder)
    {
        builder.Property(n => n.Purpose).HasMaxLength(16);
        builder.Property(n => n.To).HasMaxLength(40);
        builder.Property(n => n.HeldFor).HasMaxLength(16);
        builder.Property(n => n.ProviderSid).HasMaxLength(64);
        builder.Property(n => n.PriceUnit).HasMaxLength(8);
        builder.Property(n => n.Price).HasConversion<double?>();
        builder.Property(n => n.Version).IsConcurrencyToken();
        builder.HasIndex(n => new { n.IncidentId, n.CreatedAt });
        builder.HasIndex(n => n.ProviderSid);
        // The sender's look-up: pending rows that are due.
        builder.HasIndex(n => new { n.Status, n.SendAfter });
        // Rate caps and "the last page this person got".
        builder.HasIndex(n => new { n.UserId, n.CreatedAt });
        builder.HasOne<Incident>().WithMany().HasForeignKey(n => n.IncidentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class InboundMessageConfiguration : IEntityTypeConfiguration<InboundMessage>
{
    public void Configure(EntityTypeBuilder<InboundMessage> builder)
    {
        builder.Property(m => m.From).HasMaxLength(48);
        builder.Property(m => m.Outcome).HasMaxLength(32);
        builder.HasIndex(m => new { m.From, m.ReceivedAt });
    }
}

internal sealed class AppSecretConfiguration : IEntityTypeConfiguration<AppSecret>
{
    public void Configure(EntityTypeBuilder<AppSecret> builder) => builder.HasKey(s => s.Name);
}
