using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Itoc360.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace Itoc360.Tests.Web.Http;

public class RestartTests
{
    [Fact]
    public async Task Everything_answered_with_2xx_is_there_after_a_restart_and_redeliveries_stay_duplicates()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("itoc360-restart-").FullName;
        try
        {
            CreatedSource source;
            var template = Encoding.UTF8.GetString(HttpFixture.Get("twilio-errors/01-error-11200").Body);
            byte[] Body(int i) => Encoding.UTF8.GetBytes(template.Replace("Sid=NO1436992f", $"Sid=NO{i:x4}992f"));

            await using (var first = new AppFactory(dataDirectory: dataDirectory))
            {
                source = await first.CreateSourceAsync("twilio-errors");
                using var client = first.CreateClient();
                var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
                    Webhooks.PostAsync(client, source.PathAndQuery, "application/x-www-form-urlencoded", Body(i))));
                Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
            }

            await using var second = new AppFactory(dataDirectory: dataDirectory);
            Assert.Equal(50, await second.WithDbAsync(db => db.Incidents.CountAsync()));
            Assert.Equal(50, await second.WithDbAsync(db => db.Deliveries.CountAsync()));

            // The token still works (the data-protection keys live in the data folder), and the events are still known.
            using var again = second.CreateClient();
            var redelivery = await Webhooks.PostAsync(again, source.PathAndQuery, "application/x-www-form-urlencoded", Body(7));
            Assert.Equal(HttpStatusCode.OK, redelivery.StatusCode);
            Assert.Equal("duplicate", (await redelivery.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString());
            var numbers = await second.WithDbAsync(db => db.Incidents.Select(i => i.Number).OrderBy(n => n).ToListAsync());
            Assert.Equal(Enumerable.Range(1, 50).Select(n => (long)n), numbers);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }
}
