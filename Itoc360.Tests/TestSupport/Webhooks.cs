using System.Net.Http.Headers;

namespace Itoc360.Tests.TestSupport;

public static class Webhooks
{
    /// <summary>Sends a fixture exactly as the vendor would, to <paramref name="pathAndQuery"/>.</summary>
    public static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpFixture fixture, string pathAndQuery,
        Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(new HttpMethod(fixture.Method), pathAndQuery);
        if (fixture.Body.Length > 0 || fixture.ContentType is not null)
        {
            request.Content = new ByteArrayContent(fixture.Body);
            if (fixture.ContentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", fixture.ContentType);
            }
        }

        configure?.Invoke(request);
        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string pathAndQuery, string? contentType, byte[] body,
        Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, pathAndQuery) { Content = new ByteArrayContent(body) };
        if (contentType is not null)
        {
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        configure?.Invoke(request);
        return client.SendAsync(request);
    }
}
