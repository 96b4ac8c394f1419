namespace Itoc360.Domain.Paging;

/// <summary>Identifies an escalation policy; sources and routing rules point at policies by this id.</summary>
public readonly record struct EscalationPolicyId(Guid Value)
{
    public static EscalationPolicyId New() => new(Guid.CreateVersion7());
    public override string ToString() => Value.ToString();
}
