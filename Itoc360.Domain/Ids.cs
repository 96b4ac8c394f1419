namespace Itoc360.Domain;

public readonly record struct IncidentId(Guid Value)
{
    public static IncidentId New() => new(Guid.CreateVersion7());
    public override string ToString() => Value.ToString();
}

public readonly record struct SourceId(Guid Value)
{
    public static SourceId New() => new(Guid.CreateVersion7());
    public override string ToString() => Value.ToString();
}

public readonly record struct DeliveryId(Guid Value)
{
    public static DeliveryId New() => new(Guid.CreateVersion7());
    public override string ToString() => Value.ToString();
}
