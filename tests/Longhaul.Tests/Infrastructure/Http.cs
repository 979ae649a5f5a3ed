using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Longhaul.Tests.Infrastructure;

/// <summary>Request and assertion helpers for the wire contract.</summary>
public static partial class Http
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex("^op_[0-9a-hjkmnp-tv-z]{26}$")]
    public static partial Regex OperationId();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")]
    public static partial Regex Rfc3339Utc();

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    public static partial Regex SnakeCase();

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static StringContent Json(object body) => Json(JsonSerializer.Serialize(body));

    public static string Body(string kind, object? input) => JsonSerializer.Serialize(new { kind, input });

    public static Task<HttpResponseMessage> StartOperationAsync(this HttpClient client, string kind, object? input)
        => client.PostAsync("/v1/operations", Json(Body(kind, input)), Ct);

    /// <summary>Creates an operation, asserts the 202, and returns the resource.</summary>
    public static async Task<JsonElement> StartOperationOkAsync(this HttpClient client, string kind, object? input)
    {
        using var response = await client.StartOperationAsync(kind, input);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await ReadJsonAsync(response);
    }

    public static Task<JsonElement> SleepAsync(this HttpClient client, double seconds = 0) => client.StartOperationOkAsync("sleep", new { seconds });

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.GetAsync(path, Ct);
        Assert.Equal(expected, response.StatusCode);
        return await ReadJsonAsync(response);
    }

    /// <summary>Long-polls until the operation is done (the wait endpoint, 30 s cap), and returns it.</summary>
    public static async Task<JsonElement> WaitDoneAsync(this HttpClient client, string id)
    {
        for (var i = 0; i < 3; i++)
        {
            var op = await client.GetJsonAsync($"/v1/operations/{id}/wait?timeout=20");
            if (op.GetProperty("done").GetBoolean()) return op;
        }
        throw new TimeoutException($"Operation {id} did not finish.");
    }

    public static string Id(this JsonElement op) => op.GetProperty("id").GetString()!;

    public static string Status(this JsonElement op) => op.GetProperty("status").GetString()!;

    /// <summary>Every operation the client's tenant can list, newest first, through all pages.</summary>
    public static async Task<List<JsonElement>> ListAllAsync(this HttpClient client, string query = "")
    {
        var all = new List<JsonElement>();
        string? token = null;
        do
        {
            var sep = query.Length == 0 ? "?" : "&";
            var url = "/v1/operations" + (query.Length == 0 ? "" : "?" + query) + (token is null ? "" : $"{sep}page_token={Uri.EscapeDataString(token)}");
            var page = await client.GetJsonAsync(url);
            all.AddRange(page.GetProperty("operations").EnumerateArray());
            token = page.GetProperty("next_page_token").GetString();
        }
        while (token is not null);
        return all;
    }

    /// <summary>Asserts an RFC 9457 problem document with the given status and code; returns it.</summary>
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, int status, string code)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(status == (int)response.StatusCode, $"Expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("type").GetString()), "type");
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()), "title");
        Assert.True(problem.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String && detail.GetString()!.Length > 0,
            $"problem has no detail: {text}");
        return problem;
    }

    /// <summary>Asserts a problem whose <c>errors</c> name <paramref name="field"/>.</summary>
    public static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, int status, string code, string field)
    {
        var problem = await AssertProblemAsync(response, status, code);
        Assert.True(problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object, $"no errors: {problem}");
        Assert.True(errors.TryGetProperty(field, out var messages), $"errors do not name '{field}': {errors}");
        Assert.True(messages.GetArrayLength() > 0 && messages.EnumerateArray().All(m => !string.IsNullOrWhiteSpace(m.GetString())));
        return problem;
    }

    public static int RetryAfterSeconds(HttpResponseMessage response)
    {
        Assert.True(response.Headers.TryGetValues("Retry-After", out var values), "Retry-After missing");
        var raw = Assert.Single(values);
        Assert.True(int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds), $"Retry-After '{raw}' is not delay-seconds");
        return seconds;
    }

    public static HttpRequestMessage Request(HttpMethod method, string path, HttpContent? content = null, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        foreach (var (name, value) in headers) Assert.True(request.Headers.TryAddWithoutValidation(name, value), name);
        return request;
    }
}
