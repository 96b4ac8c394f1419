using System.Text;
using System.Text.Json;
using Itoc360.Domain.Sources;

namespace Itoc360.Tests.TestSupport;

/// <summary>
/// One sample request from <c>shared/fixtures/&lt;kind&gt;/&lt;name&gt;.http</c>: the first line is
/// <c>METHOD path?query</c>, then headers up to a blank line, then the body bytes exactly as on the wire.
/// <see cref="Expected"/> is the sibling <c>&lt;name&gt;.expected.json</c>.
/// </summary>
public sealed class HttpFixture
{
    private static readonly Lazy<string> Root = new(FindRoot);

    private HttpFixture(string kind, string name, string method, string pathAndQuery,
        IReadOnlyList<KeyValuePair<string, string>> headers, byte[] body, JsonElement expected, bool hasExpected)
    {
        Kind = kind;
        Name = name;
        Method = method;
        PathAndQuery = pathAndQuery;
        Headers = headers;
        Body = body;
        Expected = expected;
        HasExpected = hasExpected;
    }

    /// <summary>The folder name: the source kind.</summary>
    public string Kind { get; }

    /// <summary>The file name without <c>.http</c>, e.g. <c>01-error-11200</c>.</summary>
    public string Name { get; }

    public string Method { get; }

    /// <summary>The request target as written, e.g. <c>/hooks/{source}?token={token}</c>.</summary>
    public string PathAndQuery { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    public string? ContentType => Header("Content-Type");

    public byte[] Body { get; }

    /// <summary>The expectation (<c>action</c>, <c>priority</c>, <c>dedup_key</c>, …); an empty object when the file is missing.</summary>
    public JsonElement Expected { get; }

    public bool HasExpected { get; }

    /// <summary><c>kind/name</c>.</summary>
    public string Id => $"{Kind}/{Name}";

    public string Path => PathAndQuery.Split('?', 2)[0];

    public string QueryString => PathAndQuery.Contains('?') ? PathAndQuery.Split('?', 2)[1] : "";

    public IReadOnlyList<KeyValuePair<string, string>> Query => FormBody.ParseQuery(QueryString);

    /// <summary>The folder holding one sub-folder per kind, found by walking up from the test binaries to a directory that has <c>shared/fixtures</c>.</summary>
    public static string FixturesRoot => Root.Value;

    public string? Header(string name) =>
        Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();

    /// <summary>A string member of <see cref="Expected"/>, or null.</summary>
    public string? ExpectedString(string name) =>
        Expected.ValueKind == JsonValueKind.Object && Expected.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>The request as a parser sees it.</summary>
    public InboundRequest ToRequest() => new(Method, ContentType, Query, Body);

    public override string ToString() => Id;

    /// <summary>Every fixture, by kind folder and then by file name (the order to post them in).</summary>
    public static IEnumerable<HttpFixture> All() =>
        KindFolders().SelectMany(kind => InFolder(kind));

    /// <summary>The names of the kind folders.</summary>
    public static IEnumerable<string> KindFolders() =>
        Directory.GetDirectories(FixturesRoot)
            .Select(d => System.IO.Path.GetFileName(d))
            .Order(StringComparer.Ordinal);

    public static IEnumerable<HttpFixture> InFolder(string kind) =>
        Directory.GetFiles(System.IO.Path.Combine(FixturesRoot, kind), "*.http")
            .Order(StringComparer.Ordinal)
            .Select(Load);

    /// <summary>One fixture by <c>kind/name</c> (see <see cref="Id"/>).</summary>
    public static HttpFixture Get(string id) => Load(System.IO.Path.Combine(FixturesRoot, id + ".http"));

    public static HttpFixture Load(string file)
    {
        var bytes = File.ReadAllBytes(file);
        var position = 0;
        var requestLine = ReadLine(bytes, ref position)
            ?? throw new InvalidDataException($"{file}: the file is empty.");
        var parts = requestLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2)
        {
            throw new InvalidDataException($"{file}: the first line must be 'METHOD path', not '{requestLine}'.");
        }

        var headers = new List<KeyValuePair<string, string>>();
        while (ReadLine(bytes, ref position) is { Length: > 0 } line)
        {
            var colon = line.IndexOf(':');
            if (colon <= 0)
            {
                throw new InvalidDataException($"{file}: '{line}' is not a header.");
            }

            headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
        }

        var body = bytes[Math.Min(position, bytes.Length)..];
        var name = System.IO.Path.GetFileNameWithoutExtension(file);
        var expectedFile = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(file)!, name + ".expected.json");
        var hasExpected = File.Exists(expectedFile);
        using var expected = JsonDocument.Parse(hasExpected ? File.ReadAllText(expectedFile) : "{}");
        return new HttpFixture(
            kind: System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(file)!),
            name: name,
            method: parts[0],
            pathAndQuery: parts[1],
            headers: headers,
            body: body,
            expected: expected.RootElement.Clone(),
            hasExpected: hasExpected);
    }

    /// <summary>The next line (without CR/LF) starting at <paramref name="position"/>, which moves past its LF; null at the end.</summary>
    private static string? ReadLine(byte[] bytes, ref int position)
    {
        if (position >= bytes.Length)
        {
            return null;
        }

        var newline = Array.IndexOf(bytes, (byte)'\n', position);
        var end = newline < 0 ? bytes.Length : newline;
        var line = Encoding.UTF8.GetString(bytes, position, end - position).TrimEnd('\r');
        position = newline < 0 ? bytes.Length : newline + 1;
        return line;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "fixtures");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            $"No 'shared/fixtures' folder above {AppContext.BaseDirectory}: clone the repository next to 'shared/'.");
    }
}
