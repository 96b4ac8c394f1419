namespace Itoc360.Domain.Paging;

/// <summary>
/// How far one person's contact rules have got for one incident; stored by the caller.
/// Rule <c>i</c> is due at <see cref="AnchorUtc"/> plus its minutes minus those of rule <see cref="AnchorIndex"/>.
/// </summary>
/// <param name="AnchorUtc">The first page, or the moment a failed channel moved paging on.</param>
/// <param name="AnchorIndex">The rule that is due at <paramref name="AnchorUtc"/>.</param>
/// <param name="UsedCount">How many rules (from the first) have been used.</param>
public readonly record struct ContactRulesProgress(DateTime AnchorUtc, int AnchorIndex, int UsedCount)
{
    public static ContactRulesProgress Start(DateTime firstPagedAtUtc) =>
        new(firstPagedAtUtc.Kind == DateTimeKind.Utc ? firstPagedAtUtc : DateTime.SpecifyKind(firstPagedAtUtc, DateTimeKind.Utc), 0, 0);
}
