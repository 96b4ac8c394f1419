using Microsoft.Extensions.Options;

namespace Itoc360.Web.Hosting;

/// <summary>Builds absolute public URLs from <c>PublicBaseUrl</c>, or from the request when it is not set.</summary>
public sealed class PublicUrls(IOptions<Itoc360Options> options)
{
    private readonly string? _configured = string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl)
        ? null
        : options.Value.PublicBaseUrl.Trim().TrimEnd('/');

    public string BaseUrl(HttpRequest request) =>
        _configured ?? $"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}";

    /// <summary><c>PublicBaseUrl</c> when set, otherwise <paramref name="fallback"/> (e.g. the browser's base URI).</summary>
    public string BaseUrl(string fallback) => _configured ?? fallback.TrimEnd('/');

    /// <summary>The URL the caller used, as it looks from outside (for signature checks).</summary>
    public string RequestUrl(HttpRequest request) =>
        BaseUrl(request) + request.Path.ToUriComponent() + request.QueryString.ToUriComponent();

    public string WebhookUrl(string baseUrl, Domain.SourceId sourceId, string token) =>
        $"{baseUrl.TrimEnd('/')}/hooks/{sourceId.Value}?token={Uri.EscapeDataString(token)}";
}
