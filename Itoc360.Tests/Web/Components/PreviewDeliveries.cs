using Itoc360.Domain;
using Itoc360.Domain.Sources;
using Itoc360.Tests.TestSupport;
using Itoc360.Web.Data;
using Itoc360.Web.Features.Webhooks;

namespace Itoc360.Tests.Web.Components;

/// <summary>Fixtures as the console stores them: a delivery row (query without the token), read back as ingestion reads it.</summary>
internal static class PreviewDeliveries
{
    public static Delivery Stored(HttpFixture fixture)
    {
        var query = fixture.Query.Where(q => !string.Equals(q.Key, "token", StringComparison.OrdinalIgnoreCase)).ToList();
        return new Delivery
        {
            Id = DeliveryId.New(),
            SourceId = SourceId.New(),
            Method = fixture.Method,
            ContentType = fixture.ContentType,
            Query = query.Count == 0 ? null : string.Join('&', query.Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value)}")),
            Body = fixture.Body,
            BodyLength = fixture.Body.Length,
            Outcome = DeliveryOutcomes.Accepted,
        };
    }

    public static InboundRequest Request(string fixtureId) => AlertIngestion.StoredRequest(Stored(HttpFixture.Get(fixtureId)));
}
