using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace Itoc360.Web.Components.Layout;

/// <summary>
/// The stylesheet MudThemeProvider writes for the console's theme (palette variables, typography, scrollbars), rendered
/// once per process for light and for dark and then shared by every open console: the theme never changes, and a
/// MudThemeProvider per console rebuilt and kept its own copy (some 23 KB each, plus a default theme).
/// </summary>
public sealed class ThemeStyles(IServiceProvider services)
{
    private readonly Lazy<Task<MarkupString[]>> _styles = new(() => RenderAsync(services));

    public Task<MarkupString[]> GetAsync() => _styles.Value;

    private static async Task<MarkupString[]> RenderAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, scope.ServiceProvider.GetRequiredService<ILoggerFactory>());
        var styles = new MarkupString[2];
        foreach (var dark in new[] { false, true })
        {
            styles[dark ? 1 : 0] = new MarkupString(await renderer.Dispatcher.InvokeAsync(async () =>
            {
                var output = await renderer.RenderComponentAsync<MudThemeProvider>(ParameterView.FromDictionary(new Dictionary<string, object?>
                {
                    [nameof(MudThemeProvider.Theme)] = Itoc360Theme.Theme,
                    [nameof(MudThemeProvider.IsDarkMode)] = dark,
                }));
                // Native controls (the grid's checkboxes, the filters' lists) follow the theme too.
                return output.ToHtmlString() + (dark ? "<style>:root{color-scheme:dark}</style>" : "");
            }));
        }

        return styles;
    }
}

/// <summary>Writes the shared theme stylesheet (light or dark): one markup frame per console.</summary>
public sealed class ThemeStyle : ComponentBase
{
    private MarkupString[]? _styles;

    [Inject]
    public required ThemeStyles Styles { get; init; }

    [Parameter]
    public bool IsDarkMode { get; set; }

    protected override async Task OnInitializedAsync() => _styles = await Styles.GetAsync();

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        if (_styles is not null)
        {
            builder.AddMarkupContent(0, _styles[IsDarkMode ? 1 : 0].Value);
        }
    }
}
