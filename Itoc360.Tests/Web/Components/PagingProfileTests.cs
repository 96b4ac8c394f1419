using Bunit;
using Itoc360.Domain.Paging;
using Itoc360.Tests.TestSupport;
using Itoc360.Web.Components.Controls;
using Itoc360.Web.Components.Pages.Admin;
using Itoc360.Web.Components.Pages.People;
using Itoc360.Web.Data;
using Itoc360.Web.Features.Auth;
using Itoc360.Web.Features.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Itoc360.Tests.Web.Components;

/// <summary>"My paging profile" and the admin's view of anyone's, over the real people services on a temp app.</summary>
public sealed class PagingProfileTests : IDisposable
{
    private readonly AppFactory _app = new();

    private async Task<string> CreatePersonAsync(string email, string phone, string role = Roles.Responder)
    {
        var people = _app.Services.GetRequiredService<PeopleDirectory>();
        var (user, error, _) = await people.CreateAsync(new CreateUserRequest(email, null, role, "Person-Password-1!", phone, null, null),
            new AdminActor("", "test"), CancellationToken.None);
        Assert.Null(error);
        return user!.Id;
    }

    [Fact]
    public async Task Profile_lists_the_signed_in_users_contact_methods_and_warns_that_an_unverified_one_is_not_paged()
    {
        var me = await CreatePersonAsync("ana@example.com", "+49 151 12345678");

        await using var ctx = ConsoleComponents.Create(_app, Roles.Responder, "ana@example.com", me);
        var cut = ctx.Render<ProfilePage>();

        cut.WaitForAssertion(() => Assert.Contains("+4915112345678", cut.Find("[data-testid=contact-method]").TextContent));
        Assert.Equal("false", cut.Find("[data-testid=contact-method]").GetAttribute("data-verified"));
        Assert.Contains("Not verified — will not be paged", cut.Find("[data-testid=not-verified]").TextContent);
        Assert.Contains("SMS at once, a call after 5 minutes if nobody acknowledges", cut.Find("[data-testid=rules-preview]").TextContent);
        // The test app has no Twilio account: the page says paging is off and how to turn it on.
        Assert.Contains("Itoc360__Twilio__AccountSid", cut.Find("[data-testid=paging-off]").TextContent);
    }

    [Fact]
    public async Task A_wrong_code_shows_the_services_problem_and_leaves_the_number_unverified()
    {
        var me = await CreatePersonAsync("ana@example.com", "+4915112345678");

        await using var ctx = ConsoleComponents.Create(_app, Roles.Responder, "ana@example.com", me);
        var cut = ctx.Render<ProfilePage>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=contact-method]")));

        cut.Find("button[aria-label='Send code to +4915112345678']").Click();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=code-field] input")));
        Assert.Equal(1, await _app.WithDbAsync(db => db.Notifications.CountAsync(n => n.UserId == me && n.Purpose == NotificationPurposes.Verification)));
        // No Twilio account in the test app: the page does not pretend the code went out.
        Assert.Contains("Paging is off", cut.Find("[data-testid=code-hint]").TextContent);

        // Five digits can never match the six-digit code.
        cut.Find("[data-testid=code-field] input").Input("12345");
        cut.Find("button[aria-label='Verify +4915112345678']").Click();

        cut.WaitForAssertion(() => Assert.Equal("Wrong code.", cut.Find("[data-testid=method-problem]").TextContent.Trim()));
        Assert.Equal("false", cut.Find("[data-testid=contact-method]").GetAttribute("data-verified"));
        Assert.Null(await _app.WithDbAsync(db => db.ContactMethods.Where(m => m.UserId == me).Select(m => m.VerifiedAt).SingleAsync()));
    }

    [Fact]
    public async Task Without_admin_the_editor_acts_on_the_signed_in_user_whatever_id_it_is_given()
    {
        var me = await CreatePersonAsync("ana@example.com", "+4915111111111");
        var other = await CreatePersonAsync("ben@example.com", "+4915122222222");

        await using var ctx = ConsoleComponents.Create(_app, Roles.Responder, "ana@example.com", me);
        var cut = ctx.Render<PagingProfileEditor>(p => p.Add(e => e.UserId, other));
        cut.WaitForAssertion(() => Assert.Contains("+4915111111111", cut.Find("[data-testid=contact-method]").TextContent));
        Assert.DoesNotContain("+4915122222222", cut.Markup);

        // Asking for the admin view without the Admin role shows nothing of the other person.
        var denied = ctx.Render<PagingProfileEditor>(p => p.Add(e => e.UserId, other).Add(e => e.IsAdmin, true));
        denied.WaitForAssertion(() => Assert.Contains("Only admins", denied.Markup));
        Assert.DoesNotContain("+4915122222222", denied.Markup);
    }

    [Fact]
    public async Task An_admin_sees_and_changes_another_persons_rules_and_quiet_hours()
    {
        var admin = await _app.WithDbAsync(db => db.Users.Where(u => u.Email == AppFactory.AdminEmail).Select(u => u.Id).SingleAsync());
        var other = await CreatePersonAsync("ben@example.com", "+4915122222222");

        await using var ctx = ConsoleComponents.Create(_app, Roles.Admin, AppFactory.AdminEmail, admin);
        var cut = ctx.Render<AdminUserPagingPage>(p => p.Add(x => x.Id, other));
        cut.WaitForAssertion(() => Assert.Contains("+4915122222222", cut.Find("[data-testid=contact-method]").TextContent));
        Assert.Contains("ben@example.com", cut.Markup);

        // Drop the call: only the SMS is left, and the preview says so before saving.
        cut.Find("button[aria-label='Remove rule 2']").Click();
        cut.WaitForAssertion(() => Assert.Equal("SMS at once", cut.Find("[data-testid=rules-preview]").TextContent.Trim()));
        cut.Find("input[type=checkbox]").Change(true);
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=quiet-note]")));
        cut.FindAll("button").Single(b => b.TextContent.Contains("Save rules")).Click();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=rules-saved]")));
        var user = await _app.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == other));
        Assert.Equal("22:00", user.QuietHoursStart);
        Assert.Equal("07:00", user.QuietHoursEnd);
        Assert.DoesNotContain("Voice", user.ContactRulesJson);
    }

    [Theory]
    [InlineData("Sms:0", "SMS at once")]
    [InlineData("Sms:0,Voice:5", "SMS at once, a call after 5 minutes if nobody acknowledges")]
    [InlineData("WhatsApp:0,Sms:1,Voice:10", "A WhatsApp message at once, an SMS after 1 minute, a call after 10 minutes if nobody acknowledges")]
    public void The_rules_read_as_a_sentence(string rules, string expected)
    {
        var parsed = rules.Split(',').Select(r => r.Split(':')).Select(p => new ContactRule(Enum.Parse<ContactChannel>(p[0]), int.Parse(p[1]))).ToList();
        Assert.Equal(expected, PagingText.Describe(parsed));
    }

    public void Dispose() => _app.Dispose();
}
