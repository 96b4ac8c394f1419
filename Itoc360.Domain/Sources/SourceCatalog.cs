using System.Reflection;

namespace Itoc360.Domain.Sources;

/// <summary>Every source kind this build understands, found by reflection over the Domain assembly.</summary>
public static class SourceCatalog
{
    private static readonly Dictionary<string, ISourceParser> ByKind = typeof(ISourceParser).Assembly
        .GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ISourceParser).IsAssignableFrom(t))
        .Select(t => (ISourceParser)Activator.CreateInstance(t)!)
        .ToDictionary(p => p.Kind, StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyCollection<ISourceParser> All => ByKind.Values;

    public static IReadOnlyCollection<string> Kinds => ByKind.Keys;

    public static bool TryGet(string? kind, out ISourceParser parser)
    {
        if (kind is not null && ByKind.TryGetValue(kind, out var found))
        {
            parser = found;
            return true;
        }

        parser = null!;
        return false;
    }

    public static ISourceParser Get(string kind) =>
        TryGet(kind, out var parser) ? parser : throw new KeyNotFoundException($"Unknown source kind '{kind}'.");
}
