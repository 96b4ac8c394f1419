using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Itoc360.Tests.TestSupport;

namespace Itoc360.Tests.Web.Paging;

/// <summary>
/// Paging end to end against a fake Twilio on loopback: webhook → escalation → SMS → reply or callback,
/// through the real HTTP endpoints, with the clock moved by the test.
/// </summary>
public sealed class PagingFlowTests
{
    private static string Status(JsonElement incident) => incident.GetProperty("status").GetString()!;

    private static string[] Kinds(JsonElement incident) =>
        incident.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("kind").GetString()!).ToArray();

    [Fact]
    public async Task The_pump_pages_the_moment_an_incident_opens_without_waiting_for_a_sweep()
    {
        await using var paging = await PagingFixture.StartAsync(pump: true);
        var id = await paging.SendAlertAsync();

        var sms = await paging.NextRequestAsync();
        Assert.EndsWith("/Messages.json", sms.Path);
        Assert.Equal(PagingFixture.Phone, sms["To"]);
        Assert.StartsWith("HIGH #1 ", sms["Body"]);
        Assert.Contains("Reply ACK 1", sms["Body"]);
        Assert.Matches(@"Ack: http://localhost/a/[A-Za-z0-9_-]{16,}", sms["Body"]!);
        Assert.StartsWith("http://localhost/twilio/sms/status?n=", sms["StatusCallback"]);
        // The sid is stored with Twilio's status once the create call returns, just after the fake saw the request.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        JsonElement notification;
        while ((notification = Assert.Single(await paging.NotificationsAsync(id))).GetProperty("status").GetString() == "Sending" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.Equal("Queued", notification.GetProperty("status").GetString());
        Assert.StartsWith("SM", notification.GetProperty("providerSid").GetString());
    }

    [Fact]
    public async Task A_signed_ack_reply_acknowledges_answers_and_stops_the_escalation()
    {
        await using var paging = await PagingFixture.StartAsync();
        var id = await paging.SendAlertAsync();
        await paging.RunAsync();
        await paging.NextRequestAsync();

        var reply = await paging.ReplyAsync("ack 1");
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        Assert.Contains("<Message>#1 acknowledged.</Message>", await reply.Content.ReadAsStringAsync());
        var incident = await paging.IncidentAsync(id);
        Assert.Equal("Acknowledged", Status(incident));
        Assert.Equal("alice@example.com", incident.GetProperty("acknowledgedBy").GetString());
        Assert.Contains(incident.GetProperty("timeline").EnumerateArray(), t => t.GetProperty("kind").GetString() == "acknowledged" && t.GetProperty("via").GetString() == "Sms");

        // The call that the contact rules would make after 5 minutes never happens.
        await paging.AdvanceAsync(TimeSpan.FromMinutes(30));
        Assert.Empty(paging.Twilio.Requests);
    }

    [Fact]
    public async Task Without_an_answer_the_person_is_called_after_five_minutes_with_a_menu_that_acknowledges()
    {
        await using var paging = await PagingFixture.StartAsync();
        var id = await paging.SendAlertAsync();
        await paging.RunAsync();
        await paging.NextRequestAsync();

        await paging.AdvanceAsync(TimeSpan.FromMinutes(4));
        Assert.Empty(paging.Twilio.Requests);
        await paging.AdvanceAsync(TimeSpan.FromMinutes(1));
        var call = await paging.NextRequestAsync();
        Assert.EndsWith("/Calls.json", call.Path);
        Assert.Equal(PagingFixture.Phone, call["To"]);
        Assert.Equal("DetectMessageEnd", call["MachineDetection"]);
        var answerUrl = new Uri(call["Url"]!);

        var answer = await paging.PostTwilioAsync(answerUrl.PathAndQuery, [new("CallSid", "CA1"), new("AnsweredBy", "human")]);
        var twiml = await answer.Content.ReadAsStringAsync();
        Assert.Contains("<Gather", twiml);
        Assert.Contains("High incident 1", twiml);
        Assert.Contains("Press 1 to acknowledge", twiml);
        var gatherUrl = new Uri(WebUtility.HtmlDecode(Regex.Match(twiml, "action=\"([^\"]+)\"").Groups[1].Value));

        var pressed = await paging.PostTwilioAsync(gatherUrl.PathAndQuery, [new("CallSid", "CA1"), new("Digits", "1")]);
        Assert.Contains("acknowledged", await pressed.Content.ReadAsStringAsync());
        var incident = await paging.IncidentAsync(id);
        Assert.Equal("Acknowledged", Status(incident));
        Assert.Contains(incident.GetProperty("timeline").EnumerateArray(), t => t.GetProperty("via").GetString() == "Voice");
    }

    [Fact]
    public async Task An_undelivered_sms_moves_to_the_call_at_once_and_a_late_sent_does_not_move_it_back()
    {
        await using var paging = await PagingFixture.StartAsync();
        var id = await paging.SendAlertAsync();
        await paging.RunAsync();
        var sms = await paging.NextRequestAsync();
        var statusPath = new Uri(sms["StatusCallback"]!).PathAndQuery;
        var sid = (await paging.NotificationsAsync(id))[0].GetProperty("providerSid").GetString()!;

        var undelivered = await paging.PostTwilioAsync(statusPath, [new("MessageSid", sid), new("MessageStatus", "undelivered"), new("ErrorCode", "30003")]);
        Assert.Equal(HttpStatusCode.OK, undelivered.StatusCode);
        await paging.PostTwilioAsync(statusPath, [new("MessageSid", sid), new("MessageStatus", "sent")]);
        await paging.RunAsync();

        var call = await paging.NextRequestAsync();
        Assert.EndsWith("/Calls.json", call.Path);
        var rows = await paging.NotificationsAsync(id);
        Assert.Equal("Undelivered", rows[0].GetProperty("status").GetString());
        Assert.Equal(30003, rows[0].GetProperty("errorCode").GetInt32());
        Assert.Equal("Voice", rows[1].GetProperty("channel").GetString());
        Assert.Contains("page-failed", Kinds(await paging.IncidentAsync(id)));
    }

    [Fact]
    public async Task Forged_callbacks_get_403_and_change_nothing()
    {
        await using var paging = await PagingFixture.StartAsync();
        var id = await paging.SendAlertAsync();
        await paging.RunAsync();
        await paging.NextRequestAsync();

        var forged = await paging.PostTwilioAsync("/twilio/sms/inbound", [new("From", PagingFixture.Phone), new("Body", "ACK 1")], authToken: "not-the-token");
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        using var client = paging.App.CreateClient();
        var unsigned = await client.PostAsync("/twilio/sms/status?n=1", new FormUrlEncodedContent([new("MessageStatus", "failed")]));
        Assert.Equal(HttpStatusCode.Forbidden, unsigned.StatusCode);
        Assert.Equal("Triggered", Status(await paging.IncidentAsync(id)));
        Assert.Equal("Queued", (await paging.NotificationsAsync(id))[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_alternate_auth_token_and_the_url_with_an_explicit_port_are_accepted()
    {
        await using var paging = await PagingFixture.StartAsync(settings: new() { ["Itoc360:Twilio:AlternateAuthToken"] = "alternate-token-0123456789" });
        var id = await paging.SendAlertAsync();
        await paging.RunAsync();
        await paging.NextRequestAsync();

        using var client = paging.App.CreateClient();
        var response = await FakeTwilio.PostSignedAsync(client, "http://localhost:80/twilio/sms/inbound",
            [new("From", PagingFixture.Phone), new("Body", "RESOLVE 1")], "alternate-token-0123456789");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Resolved", Status(await paging.IncidentAsync(id)));
    }

    [Fact]
    public async Task Strangers_get_no_effect_and_no_answer_and_unhelpful_answers_are_capped()
    {
        await using var paging = await PagingFixture.StartAsync();
        var id = await paging.SendAlertAsync();
        await paging.RunAsync();

        var stranger = await paging.ReplyAsync("ACK 1", from: "+14155550100");
        Assert.DoesNotContain("<Message>", await stranger.Content.ReadAsStringAsync());
        Assert.Equal("Triggered", Status(await paging.IncidentAsync(id)));

        var answered = 0;
        for (var i = 0; i < 6; i++)
        {
            var reply = await paging.ReplyAsync("what is this");
            answered += (await reply.Content.ReadAsStringAsync()).Contains("<Message>", StringComparison.Ordinal) ? 1 : 0;
        }

        Assert.Equal(3, answered);
    }

    [Fact]
    public async Task Stop_silences_the_number_and_start_brings_it_back()
    {
        await using var paging = await PagingFixture.StartAsync();
        var stop = await paging.ReplyAsync("STOP");
        Assert.DoesNotContain("<Message>", await stop.Content.ReadAsStringAsync());

        var id = await paging.SendAlertAsync();
        await paging.RunAsync();
        Assert.Empty(paging.Twilio.Requests);
        Assert.Contains("page-failed", Kinds(await paging.IncidentAsync(id)));

        var start = await paging.ReplyAsync("start");
        Assert.Contains("again", await start.Content.ReadAsStringAsync());
        var second = await paging.SendAlertAsync("twilio-errors/02-warning-30008");
        await paging.RunAsync();
        var sms = await paging.NextRequestAsync();
        Assert.Contains("#2", sms["Body"]);
        Assert.NotEqual(id, second);
    }

    [Fact]
    public async Task Resolving_cancels_what_is_pending_and_tells_the_person_already_paged()
    {
        await using var paging = await PagingFixture.StartAsync();
        var id = await paging.SendAlertAsync();
        await paging.RunAsync();
        await paging.NextRequestAsync();

        using var admin = paging.App.AdminClient();
        (await admin.PostAsync($"/api/v1/incidents/{id}/resolve", JsonContent.Create(new { note = "fixed" }))).EnsureSuccessStatusCode();
        await paging.RunAsync();

        var notice = await paging.NextRequestAsync();
        Assert.Equal("#1 resolved by api key 'bootstrap'. No need to respond.", notice["Body"]);
        await paging.AdvanceAsync(TimeSpan.FromMinutes(30));
        Assert.Empty(paging.Twilio.Requests);
    }

    [Fact]
    public async Task A_500_on_create_is_marked_uncertain_and_not_sent_again_while_escalation_goes_on()
    {
        await using var paging = await PagingFixture.StartAsync();
        paging.Twilio.Script(new FakeTwilioAnswer(500, """{"code": 20500, "message": "Internal Server Error"}"""));
        var id = await paging.SendAlertAsync();
        await paging.RunAsync();
        await paging.NextRequestAsync();

        await paging.AdvanceAsync(TimeSpan.FromMinutes(1));
        Assert.Empty(paging.Twilio.Requests);
        Assert.Equal("Uncertain", (await paging.NotificationsAsync(id))[0].GetProperty("status").GetString());

        await paging.AdvanceAsync(TimeSpan.FromMinutes(4));
        Assert.EndsWith("/Calls.json", (await paging.NextRequestAsync()).Path);
    }

    [Fact]
    public async Task The_one_tap_link_shows_the_incident_and_acknowledges_as_the_person_paged()
    {
        await using var paging = await PagingFixture.StartAsync();
        var id = await paging.SendAlertAsync();
        await paging.RunAsync();
        var sms = await paging.NextRequestAsync();
        var link = new Uri(Regex.Match(sms["Body"]!, @"Ack: (\S+)").Groups[1].Value);

        using var client = paging.App.CreateClient();
        var page = await client.GetStringAsync(link.PathAndQuery);
        Assert.Contains("#1", page);
        Assert.Contains("Acknowledge as Alice", page);
        Assert.Equal("Triggered", Status(await paging.IncidentAsync(id)));

        var posted = await client.PostAsync(link.PathAndQuery, null);
        Assert.Contains("Acknowledged #1", await posted.Content.ReadAsStringAsync());
        var incident = await paging.IncidentAsync(id);
        Assert.Equal("Acknowledged", Status(incident));
        Assert.Contains(incident.GetProperty("timeline").EnumerateArray(), t => t.GetProperty("via").GetString() == "Link");

        var tampered = link.PathAndQuery[..^2] + (link.PathAndQuery.EndsWith("AA", StringComparison.Ordinal) ? "BB" : "AA");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(tampered)).StatusCode);
        paging.App.Time.Advance(TimeSpan.FromHours(25));
        Assert.Contains("expired", await client.GetStringAsync(link.PathAndQuery));
    }

    [Fact]
    public async Task Quiet_hours_hold_a_non_critical_page_and_send_one_digest_when_they_end()
    {
        // 08:00 UTC is 09:00 in Berlin: quiet until 10:00 local (09:00 UTC).
        await using var paging = await PagingFixture.StartAsync(contactRules: new
        {
            rules = new[] { new { channel = "Sms", afterMinutes = 0 } },
            quietHours = new { start = "08:00", end = "10:00" },
        });
        var first = await paging.SendAlertAsync();
        var second = await paging.SendAlertAsync("twilio-errors/02-warning-30008");
        await paging.RunAsync();
        Assert.Empty(paging.Twilio.Requests);
        Assert.All(await paging.NotificationsAsync(first), n => Assert.Equal("quiet-hours", n.GetProperty("heldFor").GetString()));

        await paging.AdvanceAsync(TimeSpan.FromMinutes(59));
        Assert.Empty(paging.Twilio.Requests);
        await paging.AdvanceAsync(TimeSpan.FromMinutes(1));
        var digest = await paging.NextRequestAsync();
        Assert.StartsWith("After quiet hours: 2 incidents", digest["Body"]);
        Assert.Empty(paging.Twilio.Requests);
        Assert.Contains(await paging.NotificationsAsync(second), n => n.GetProperty("status").GetString() == "Bundled");
    }

    [Fact]
    public async Task A_critical_page_goes_through_quiet_hours()
    {
        await using var paging = await PagingFixture.StartAsync(contactRules: new
        {
            rules = new[] { new { channel = "Sms", afterMinutes = 0 } },
            quietHours = new { start = "08:00", end = "10:00" },
        });
        using var admin = paging.App.AdminClient();
        (await admin.PutAsJsonAsync($"/api/v1/sources/{paging.Source.Id}/priority-mapping", new { rules = Array.Empty<object>(), @default = "Critical" })).EnsureSuccessStatusCode();
        await paging.SendAlertAsync();
        await paging.RunAsync();
        Assert.StartsWith("CRITICAL #1", (await paging.NextRequestAsync())["Body"]);
    }

    [Fact]
    public async Task Escalation_moves_to_the_next_step_after_its_delay_and_repeats()
    {
        await using var paging = await PagingFixture.StartAsync();
        using var admin = paging.App.AdminClient();
        var bob = (await PagingFixture.Json(await admin.PostAsJsonAsync("/api/v1/users", new { email = "bob@example.com", name = "Bob", role = "Responder" })))
            .GetProperty("user").GetProperty("id").GetString();
        var policy = await PagingFixture.Json(await admin.PostAsJsonAsync("/api/v1/escalation-policies", new
        {
            name = "Two steps",
            repeat = 1,
            steps = new object[]
            {
                new { delayMinutes = 15, targets = new[] { new { userId = paging.UserId } } },
                new { delayMinutes = 15, targets = new[] { new { userId = bob } } },
            },
        }));
        (await admin.PatchAsJsonAsync($"/api/v1/sources/{paging.Source.Id}", new { escalationPolicyId = policy.GetProperty("id").GetString() })).EnsureSuccessStatusCode();
        var id = await paging.SendAlertAsync();
        await paging.RunAsync();
        await paging.AdvanceAsync(TimeSpan.FromMinutes(15));
        await paging.AdvanceAsync(TimeSpan.FromMinutes(15));

        var escalated = (await paging.IncidentAsync(id)).GetProperty("timeline").EnumerateArray()
            .Where(t => t.GetProperty("kind").GetString() == "escalated").Select(t => t.GetProperty("text").GetString()!).ToArray();
        Assert.Equal(3, escalated.Length);
        Assert.StartsWith("Step 1 of 2, pass 1 of 2 (Two steps): paging Alice", escalated[0]);
        Assert.StartsWith("Step 2 of 2, pass 1 of 2 (Two steps): paging Bob", escalated[1]);
        Assert.StartsWith("Step 1 of 2, pass 2 of 2", escalated[2]);
        // Bob has no phone: the timeline says so instead of silently paging nobody.
        Assert.Contains((await paging.IncidentAsync(id)).GetProperty("timeline").EnumerateArray(),
            t => t.GetProperty("text").GetString()!.StartsWith("Bob has no verified", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_delivered_sms_records_its_delivery_and_later_the_price_twilio_charged()
    {
        await using var paging = await PagingFixture.StartAsync();
        var id = await paging.SendAlertAsync();
        await paging.RunAsync();
        var sms = await paging.NextRequestAsync();
        var sid = (await paging.NotificationsAsync(id))[0].GetProperty("providerSid").GetString()!;
        var statusPath = new Uri(sms["StatusCallback"]!).PathAndQuery;
        await paging.PostTwilioAsync(statusPath, [new("MessageSid", sid), new("MessageStatus", "sent")]);
        await paging.PostTwilioAsync(statusPath, [new("MessageSid", sid), new("MessageStatus", "delivered")]);

        var row = (await paging.NotificationsAsync(id))[0];
        Assert.Equal("Delivered", row.GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, row.GetProperty("deliveredAt").ValueKind);

        await paging.AdvanceAsync(TimeSpan.FromMinutes(3));
        row = (await paging.NotificationsAsync(id))[0];
        Assert.Equal(0.0079m, row.GetProperty("price").GetDecimal());
        Assert.Equal("USD", row.GetProperty("priceUnit").GetString());
    }

    [Fact]
    public async Task A_whatsapp_page_uses_the_approved_template_with_the_incident_as_variables()
    {
        await using var paging = await PagingFixture.StartAsync(
            contactRules: new { rules = new[] { new { channel = "WhatsApp", afterMinutes = 0 } } },
            settings: new() { ["Itoc360:Twilio:WhatsAppContentSid"] = "HX0123456789abcdef0123456789abcdef" });
        using var admin = paging.App.AdminClient();
        var method = await PagingFixture.Json(await admin.PostAsJsonAsync($"/api/v1/users/{paging.UserId}/contact-methods", new { kind = "WhatsApp", value = "+4915112345679" }));
        var methodId = method.GetProperty("id").GetGuid();
        (await admin.PostAsync($"/api/v1/users/{paging.UserId}/contact-methods/{methodId}/verification", null)).EnsureSuccessStatusCode();
        await paging.RunAsync();
        var codeMessage = await paging.NextRequestAsync();
        Assert.Equal("whatsapp:+4915112345679", codeMessage["To"]);
        var code = Regex.Match(codeMessage["Body"]!, @"\b(\d{6})\b").Groups[1].Value;
        await PagingFixture.Json(await admin.PostAsJsonAsync($"/api/v1/users/{paging.UserId}/contact-methods/{methodId}/verification/confirm", new { code }));

        await paging.SendAlertAsync();
        await paging.RunAsync();
        var page = await paging.NextRequestAsync();
        Assert.Equal("whatsapp:+4915112345679", page["To"]);
        Assert.Equal("whatsapp:+15005550006", page["From"]);
        Assert.Equal("HX0123456789abcdef0123456789abcdef", page["ContentSid"]);
        var variables = JsonDocument.Parse(page["ContentVariables"]!).RootElement;
        Assert.Equal("HIGH #1", variables.GetProperty("1").GetString());
        Assert.Null(page["Body"]);
    }

    [Fact]
    public async Task A_wrong_code_does_not_verify_and_an_unverified_number_is_never_paged()
    {
        await using var paging = await PagingFixture.StartAsync();
        using var admin = paging.App.AdminClient();
        var method = await PagingFixture.Json(await admin.PostAsJsonAsync($"/api/v1/users/{paging.UserId}/contact-methods", new { kind = "Phone", value = "+4915112345670" }));
        var methodId = method.GetProperty("id").GetGuid();
        (await admin.PostAsync($"/api/v1/users/{paging.UserId}/contact-methods/{methodId}/verification", null)).EnsureSuccessStatusCode();
        await paging.RunAsync();
        var code = Regex.Match((await paging.NextRequestAsync())["Body"]!, @"\b(\d{6})\b").Groups[1].Value;
        var wrong = code == "000000" ? "111111" : "000000";

        var refused = await admin.PostAsJsonAsync($"/api/v1/users/{paging.UserId}/contact-methods/{methodId}/verification/confirm", new { code = wrong });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var user = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/users/{paging.UserId}");
        Assert.False(user.GetProperty("contactMethods").EnumerateArray().Single(m => m.GetProperty("id").GetGuid() == methodId).GetProperty("verified").GetBoolean());
        var remove = await admin.DeleteAsync($"/api/v1/users/{paging.UserId}/contact-methods/{paging.MethodId}");
        Assert.Equal(HttpStatusCode.NoContent, remove.StatusCode);

        var id = await paging.SendAlertAsync();
        await paging.RunAsync();
        Assert.Empty(paging.Twilio.Requests);
        Assert.Contains("page-failed", Kinds(await paging.IncidentAsync(id)));
    }

    [Fact]
    public async Task Twilio_saying_429_past_the_clients_retries_sends_again_later_not_at_once()
    {
        await using var paging = await PagingFixture.StartAsync();
        var busy = Enumerable.Range(0, 5).Select(_ => new FakeTwilioAnswer(429, RetryAfterSeconds: 0)).ToArray();
        paging.Twilio.Script(busy);
        var id = await paging.SendAlertAsync();
        await paging.RunAsync();
        Assert.Equal(5, paging.Twilio.Requests.Count); // The first try and the client's 4 retries.
        paging.Twilio.Requests.Clear();
        var row = (await paging.NotificationsAsync(id))[0];
        Assert.Equal("Pending", row.GetProperty("status").GetString());
        Assert.Equal("retry", row.GetProperty("heldFor").GetString());

        await paging.AdvanceAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(paging.Twilio.Requests);
        await paging.AdvanceAsync(TimeSpan.FromSeconds(50));
        Assert.EndsWith("/Messages.json", (await paging.NextRequestAsync()).Path);
        Assert.Equal("Queued", (await paging.NotificationsAsync(id))[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_send_cut_short_by_a_crash_is_marked_uncertain_and_not_sent_again()
    {
        await using var paging = await PagingFixture.StartAsync();
        var id = await paging.SendAlertAsync();
        await paging.RunAsync();
        await paging.NextRequestAsync();
        // As if the process died after claiming the row and before Twilio's answer was stored.
        await paging.App.WithDbAsync(async db =>
        {
            var row = db.Notifications.Single(n => n.IncidentId == new Itoc360.Domain.IncidentId(id));
            row.Status = Itoc360.Domain.Paging.NotificationStatus.Sending;
            row.ProviderSid = null;
            return await db.SaveChangesAsync();
        });

        await paging.AdvanceAsync(TimeSpan.FromMinutes(4));
        var stored = (await paging.NotificationsAsync(id))[0];
        Assert.Equal("Uncertain", stored.GetProperty("status").GetString());
        Assert.DoesNotContain(paging.Twilio.Requests, r => r.Path.EndsWith("/Messages.json", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_step_naming_a_schedule_pages_whoever_is_on_call_and_an_override_redirects_it()
    {
        await using var paging = await PagingFixture.StartAsync();
        using var admin = paging.App.AdminClient();
        var bob = (await PagingFixture.Json(await admin.PostAsJsonAsync("/api/v1/users", new { email = "bob@example.com", name = "Bob", role = "Responder" })))
            .GetProperty("user").GetProperty("id").GetString()!;
        var schedule = await PagingFixture.Json(await admin.PostAsJsonAsync("/api/v1/schedules",
            new { name = "Primary", timeZone = "UTC", rotation = new { kind = "Daily", handoff = "00:00", userIds = new[] { bob, paging.UserId } } }));
        var scheduleId = schedule.GetProperty("id").GetGuid();
        var policy = await PagingFixture.Json(await admin.PostAsJsonAsync("/api/v1/escalation-policies",
            new { name = "On call", repeat = 0, steps = new[] { new { delayMinutes = 10, targets = new[] { new { scheduleId } } } } }));
        (await admin.PatchAsJsonAsync($"/api/v1/sources/{paging.Source.Id}", new { escalationPolicyId = policy.GetProperty("id").GetString() })).EnsureSuccessStatusCode();
        var now = paging.App.Time.GetUtcNow().UtcDateTime;
        (await admin.PostAsJsonAsync($"/api/v1/schedules/{scheduleId}/overrides", new { userId = paging.UserId, start = now, end = now.AddHours(1) })).EnsureSuccessStatusCode();

        var id = await paging.SendAlertAsync();
        await paging.RunAsync();

        // Bob's turn, but Alice covers it: the SMS goes to Alice's phone.
        Assert.Equal(PagingFixture.Phone, (await paging.NextRequestAsync())["To"]);
        var escalated = (await paging.IncidentAsync(id)).GetProperty("timeline").EnumerateArray().First(t => t.GetProperty("kind").GetString() == "escalated");
        Assert.Contains("paging Alice", escalated.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Twilio_endpoints_refuse_what_is_not_a_form_and_a_wrong_key_on_a_call_repeats_the_menu()
    {
        await using var paging = await PagingFixture.StartAsync();
        using var client = paging.App.CreateClient();
        var json = await client.PostAsync("/twilio/sms/inbound", new StringContent("{\"Body\":\"ACK 1\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        var noId = await paging.PostTwilioAsync("/twilio/voice/gather?n=abc", [new("Digits", "1")]);
        Assert.Equal(HttpStatusCode.OK, noId.StatusCode);

        var id = await paging.SendAlertAsync();
        await paging.RunAsync();
        var sms = await paging.NextRequestAsync();
        var n = new Uri(sms["StatusCallback"]!).Query;
        var wrongKey = await paging.PostTwilioAsync($"/twilio/voice/gather{n}", [new("Digits", "9")]);
        var twiml = await wrongKey.Content.ReadAsStringAsync();
        Assert.Contains("that key does nothing", twiml);
        Assert.Contains("<Gather", twiml);
        Assert.Equal("Triggered", Status(await paging.IncidentAsync(id)));
    }

    [Fact]
    public async Task Incidents_that_page_one_person_together_go_out_as_one_sms_and_a_bare_ack_acknowledges_them_all()
    {
        await using var paging = await PagingFixture.StartAsync();
        var first = await paging.SendAlertAsync();
        var second = await paging.SendAlertAsync("twilio-errors/02-warning-30008");
        await paging.RunAsync();

        var sms = await paging.NextRequestAsync();
        Assert.StartsWith("2 incidents: ", sms["Body"]);
        Assert.Contains("#1", sms["Body"]);
        Assert.Contains("#2", sms["Body"]);
        Assert.Empty(paging.Twilio.Requests);
        Assert.Equal("Bundled", (await paging.NotificationsAsync(second)).Single(n => n.GetProperty("purpose").GetString() == "page" && n.GetProperty("status").GetString() != "Queued").GetProperty("status").GetString());

        var reply = await paging.ReplyAsync("ACK");
        var answer = await reply.Content.ReadAsStringAsync();
        Assert.Contains("#1 acknowledged.", answer);
        Assert.Contains("#2 acknowledged.", answer);
        Assert.Equal("Acknowledged", Status(await paging.IncidentAsync(first)));
        Assert.Equal("Acknowledged", Status(await paging.IncidentAsync(second)));
    }
}
