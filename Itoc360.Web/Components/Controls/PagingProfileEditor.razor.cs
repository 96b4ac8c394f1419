using System.Security.Claims;
using Itoc360.Domain.Paging;
using Itoc360.Web.Data;
using Itoc360.Web.Features.Auth;
using Itoc360.Web.Features.People;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace Itoc360.Web.Components.Controls;

/// <summary>
/// One person's paging profile: contact methods (add, verify with a code, language, test page, remove),
/// contact rules, quiet hours and time zone. Used by "My paging profile" and by admins for anyone.
/// </summary>
/// <remarks>
/// Whose profile is decided on the server for every read and change: without <see cref="IsAdmin"/> it is
/// always the signed-in user (the <see cref="UserId"/> parameter is ignored); with it, the Admin policy is
/// checked again before each change and <see cref="UserId"/> is used.
/// </remarks>
public sealed partial class PagingProfileEditor
{
    private UserDto? _user;
    private bool _notFound;
    private string? _loadedFor;
    private string? _denied;
    private bool _busy;
    private readonly HashSet<Guid> _codeSent = [];
    private readonly Dictionary<Guid, string?> _codes = [];
    private readonly Dictionary<Guid, string> _problems = [];

    private string _newKind = ContactKinds.Phone;
    private string? _newValue;
    private string _newLanguage = "en-US";
    private string? _addError;

    private List<RuleRow> _rules = [];
    private bool _quietOn;
    private string? _quietStart = "22:00";
    private string? _quietEnd = "07:00";
    private string? _timeZone;
    private string? _rulesError;
    private bool _saved;

    /// <summary>The person to edit; used only with <see cref="IsAdmin"/>.</summary>
    [Parameter]
    public string? UserId { get; set; }

    /// <summary>An admin editing someone's profile (re-checked on the server before every change).</summary>
    [Parameter]
    public bool IsAdmin { get; set; }

    /// <summary>Called after the profile was loaded or changed (a page may show the person's name).</summary>
    [Parameter]
    public EventCallback<UserDto> Loaded { get; set; }

    [Inject] public required PeopleDirectory People { get; init; }
    [Inject] public required ContactVerification Verification { get; init; }
    [Inject] public required IAuthorizationService Authorization { get; init; }
    [Inject] public required ISnackbar Snackbar { get; init; }
    [Inject] public required IDialogService Dialogs { get; init; }
    [Inject] public required Features.Paging.TwilioClient Twilio { get; init; }

    [CascadingParameter]
    public required Task<AuthenticationState> AuthenticationState { get; init; }

    private IReadOnlyList<ContactRule> PreviewRules =>
        _rules.Select((r, i) => new ContactRule(r.Channel, i == 0 ? 0 : r.AfterMinutes)).ToList();

    protected override async Task OnParametersSetAsync()
    {
        // Parents re-render when told the profile loaded: load again only when the person changes.
        if (await TargetAsync() is not { } id || id == _loadedFor)
        {
            return;
        }

        _loadedFor = id;
        await LoadAsync(id, resetForm: true);
    }

    /// <summary>The user this editor may act on now, or null (and the reason shown) when none.</summary>
    private async Task<string?> TargetAsync()
    {
        var principal = (await AuthenticationState).User;
        if (IsAdmin)
        {
            if ((await Authorization.AuthorizeAsync(principal, Policies.Admin)).Succeeded && !string.IsNullOrEmpty(UserId))
            {
                _denied = null;
                return UserId;
            }

            _denied = "Only admins can see and change other people's paging profiles.";
            return null;
        }

        if (principal.FindFirstValue(ClaimTypes.NameIdentifier) is { Length: > 0 } self)
        {
            _denied = null;
            return self;
        }

        _denied = "Sign in again to see your paging profile.";
        return null;
    }

    private async Task LoadAsync(string id, bool resetForm)
    {
        _user = await People.GetAsync(id, CancellationToken.None);
        _notFound = _user is null;
        if (_user is null)
        {
            return;
        }

        if (resetForm)
        {
            _rules = _user.ContactRules.Select(r => new RuleRow { Channel = r.Channel, AfterMinutes = r.AfterMinutes }).ToList();
            _quietOn = _user.QuietHours is not null;
            (_quietStart, _quietEnd) = _user.QuietHours is { } q ? (q.Start, q.End) : ("22:00", "07:00");
            _timeZone = _user.TimeZone;
            _rulesError = null;
        }

        await Loaded.InvokeAsync(_user);
    }

    /// <summary>Runs a change against the user this editor may act on, then reloads the methods (not the unsaved rules form).</summary>
    private async Task ChangeAsync(Func<string, Task> change)
    {
        if (await TargetAsync() is not { } id)
        {
            Snackbar.Add(_denied ?? "Not allowed.", Severity.Error);
            return;
        }

        _busy = true;
        try
        {
            await change(id);
            await LoadAsync(id, resetForm: false);
        }
        finally
        {
            _busy = false;
        }
    }

    private Task AddAsync() => ChangeAsync(async id =>
    {
        var (method, error) = await Verification.AddAsync(id, new AddContactRequest(_newKind, _newValue, _newLanguage), CancellationToken.None);
        _addError = error?.Message ?? (method is null ? "There is no such user." : null);
        if (method is not null)
        {
            _newValue = null;
            Snackbar.Add($"{method.Value} added. Send a code to verify it; until then it is not paged.", Severity.Success);
        }
    });

    private Task SendCodeAsync(ContactMethodDto method) => ChangeAsync(async id =>
    {
        var (found, problem) = await Verification.SendCodeAsync(id, method.Id, CancellationToken.None);
        if (!found)
        {
            _problems[method.Id] = "This contact method no longer exists.";
        }
        else if (problem is not null)
        {
            _problems[method.Id] = problem;
        }
        else
        {
            _problems.Remove(method.Id);
            _codeSent.Add(method.Id);
            _codes[method.Id] = null;
        }
    });

    private async Task CodeKeyAsync(KeyboardEventArgs e, ContactMethodDto method)
    {
        if (e.Key is "Enter" or "NumpadEnter")
        {
            await VerifyAsync(method);
        }
    }

    private Task VerifyAsync(ContactMethodDto method) => ChangeAsync(async id =>
    {
        var (verified, problem) = await Verification.ConfirmAsync(id, method.Id, _codes.GetValueOrDefault(method.Id), CancellationToken.None);
        if (verified is not null)
        {
            _problems.Remove(method.Id);
            _codeSent.Remove(method.Id);
            _codes.Remove(method.Id);
            Snackbar.Add($"{verified.Value} is verified; pages can reach it now.", Severity.Success);
        }
        else
        {
            _problems[method.Id] = problem ?? "This contact method no longer exists.";
        }
    });

    private Task SetLanguageAsync(ContactMethodDto method, string language) => ChangeAsync(async id =>
    {
        var (changed, error) = await Verification.SetLanguageAsync(id, method.Id, language, CancellationToken.None);
        if (changed is not null)
        {
            Snackbar.Add($"Calls to {changed.Value} speak {changed.Language}.", Severity.Success);
        }
        else
        {
            Snackbar.Add(error?.Message ?? "This contact method no longer exists.", Severity.Error);
        }
    });

    private Task SendTestAsync(ContactMethodDto method, ContactChannel channel) => ChangeAsync(async id =>
    {
        var (notification, problem) = await Verification.SendTestAsync(id, method.Id, channel.ToString(), CancellationToken.None);
        if (notification is not null)
        {
            _problems.Remove(method.Id);
            var what = channel switch { ContactChannel.Voice => "call", ContactChannel.WhatsApp => "WhatsApp message", _ => "SMS" };
            Snackbar.Add($"Test {what} to {method.Value} queued.", Severity.Success);
        }
        else
        {
            _problems[method.Id] = problem ?? "This contact method no longer exists.";
        }
    });

    private async Task RemoveAsync(ContactMethodDto method)
    {
        if (await Dialogs.ShowMessageBoxAsync("Remove contact method",
                $"Remove {method.Value}? Pages no longer go there.", yesText: "Remove", cancelText: "Cancel") != true)
        {
            return;
        }

        await ChangeAsync(async id =>
        {
            if (await Verification.RemoveAsync(id, method.Id, CancellationToken.None))
            {
                _problems.Remove(method.Id);
                _codeSent.Remove(method.Id);
                Snackbar.Add($"{method.Value} removed.", Severity.Success);
            }
        });
    }

    private void AddRule()
    {
        var last = _rules.LastOrDefault();
        _rules.Add(new RuleRow
        {
            Channel = last?.Channel == ContactChannel.Sms ? ContactChannel.Voice : ContactChannel.Sms,
            AfterMinutes = last is null ? 0 : Math.Min(ContactRules.MaxAfterMinutes, last.AfterMinutes + 5),
        });
    }

    private Task SaveRulesAsync() => ChangeAsync(async id =>
    {
        _rulesError = null;
        _saved = false;
        if (!string.IsNullOrWhiteSpace(_timeZone) && !PeopleDirectory.TryTimeZone(_timeZone, out _))
        {
            _rulesError = "Use an IANA time zone such as Europe/Berlin or America/New_York.";
            return;
        }

        var request = new ContactRulesRequest(PreviewRules, _quietOn ? new QuietHoursDto(_quietStart ?? "", _quietEnd ?? "") : null);
        var (saved, error) = await People.SetContactRulesAsync(id, request, CancellationToken.None);
        if (error is not null || saved is null)
        {
            _rulesError = error?.Message ?? "There is no such user.";
            return;
        }

        var (_, zoneError) = await People.SetTimeZoneAsync(id, _timeZone, CancellationToken.None);
        if (zoneError is not null)
        {
            _rulesError = zoneError.Message;
            return;
        }

        await LoadAsync(id, resetForm: true);
        _saved = true;
        Snackbar.Add("Contact rules and quiet hours saved.", Severity.Success);
    });

    private sealed class RuleRow
    {
        public ContactChannel Channel { get; set; }
        public int AfterMinutes { get; set; }
    }
}
