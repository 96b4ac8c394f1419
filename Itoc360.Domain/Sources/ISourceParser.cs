using Itoc360.Domain.Priorities;

namespace Itoc360.Domain.Sources;

/// <summary>How a kind uses <c>X-Twilio-Signature</c> when the source has a Twilio auth token.</summary>
public enum SignaturePolicy
{
    /// <summary>The vendor does not sign: never checked.</summary>
    None,
    /// <summary>Checked when the header is present; a request without it is accepted.</summary>
    WhenPresent,
    /// <summary>The vendor always signs: a request without a valid signature is refused.</summary>
    Required,
}

/// <summary>
/// Reads one vendor's wire format. Implementations are pure, stateless and found by reflection by
/// <see cref="SourceCatalog"/>; adding a kind is adding one class plus a fixture folder.
/// </summary>
public interface ISourceParser
{
    /// <summary>The kind's wire name, e.g. <c>twilio-errors</c>.</summary>
    string Kind { get; }

    /// <summary>A human name for pickers, e.g. "Twilio Debugger (errors and warnings)".</summary>
    string DisplayName { get; }

    /// <summary>The mapping a new source of this kind starts with.</summary>
    PriorityMapping DefaultMapping { get; }

    /// <summary>The normalized field names a priority rule can test, for editors.</summary>
    IReadOnlyList<string> Fields { get; }

    SignaturePolicy Signatures { get; }

    /// <summary>True when the vendor sends recoveries, so incidents can be resolved by the source.</summary>
    bool SendsRecoveries { get; }

    ParseResult Parse(InboundRequest request);
}
