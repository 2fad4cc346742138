using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Integrations.Client.Webhooks;

namespace Integrations.Client.Tests.Webhooks;

/// <summary>The verifier on what the hub really sends: a message delivered by the Server process to a loopback endpoint.</summary>
[Collection(HubServerGroup.Name)]
public sealed class HubDeliveryVerificationTests(HubServer hub)
{
    [Fact]
    public async Task Verify_DeliveryFromTheHub_VerifiesWithTheEndpointSecretAndNotWithAnother()
    {
        // Arrange: an endpoint on a loopback receiver, its secret from the reveal route, one message.
        var tenant = await hub.NewTenantAsync();
        using var receiver = new CapturingReceiver();
        using var http = new HttpClient { BaseAddress = hub.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tenant.ApiKey);
        var endpoint = await Json(await http.PostAsJsonAsync($"v1/projects/{tenant.ProjectId}/webhook-endpoints", new { url = receiver.Url.AbsoluteUri }), HttpStatusCode.Created);
        var revealed = await Json(await http.PostAsync($"v1/projects/{tenant.ProjectId}/webhook-endpoints/{(string)endpoint["id"]!}/secret/reveal", null), HttpStatusCode.OK);
        var secret = Strings(revealed).First(s => s.StartsWith("whsec_", StringComparison.Ordinal));
        var message = await Json(await http.PostAsJsonAsync($"v1/projects/{tenant.ProjectId}/messages", new { event_type = "invoice.paid", payload = new { amount = 42 } }),
            HttpStatusCode.Accepted);

        // Act
        var (headers, body) = await receiver.NextAsync(TimeSpan.FromSeconds(30));
        var evt = WebhookVerifier.Verify(secret, headers, body);
        var other = "whsec_" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));

        // Assert
        Assert.Equal((string)message["id"]!, evt.Id);
        Assert.Throws<WebhookVerificationException>(() => WebhookVerifier.Verify(other, headers, body));
        var flipped = body.ToArray();
        flipped[^2] ^= 0x20;
        Assert.Throws<WebhookVerificationException>(() => WebhookVerifier.Verify(secret, headers, flipped));
    }

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var s) => [s],
        JsonObject o => o.SelectMany(p => Strings(p.Value)),
        JsonArray a => a.SelectMany(Strings),
        _ => [],
    };

    private static async Task<JsonNode> Json(HttpResponseMessage response, HttpStatusCode expected)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
            return JsonNode.Parse(text)!;
        }
    }
}
