using Itoc360.Domain.Sources;

namespace Itoc360.Domain.Incidents;

/// <summary>One occurrence of an alert attached to an incident, with the delivery it came from.</summary>
public sealed class Alert
{
    private Alert() { Title = FieldsJson = ""; }

    internal Alert(IncidentId incidentId, DeliveryId deliveryId, NormalizedAlert alert, Priority priority, DateTime receivedAt)
    {
        IncidentId = incidentId;
        DeliveryId = deliveryId;
        Action = alert.Action;
        Title = alert.Title;
        Priority = priority;
        ReceivedAt = receivedAt;
        OccurredAt = alert.OccurredAt;
        FieldsJson = alert.FieldsJson();
    }

    public long Id { get; private set; }
    public IncidentId IncidentId { get; private set; }
    public DeliveryId DeliveryId { get; private set; }
    public AlertAction Action { get; private set; }
    public string Title { get; private set; }
    public Priority Priority { get; private set; }
    public DateTime ReceivedAt { get; private set; }
    public DateTime? OccurredAt { get; private set; }
    /// <summary>The normalized fields of the alert (the values a mapping rule can test) as a JSON object.</summary>
    public string FieldsJson { get; private set; }
}
