using Longhaul.Webhooks;

namespace Longhaul.Tests.Webhooks;

public sealed class WebhookOptionsTests
{
    [Fact]
    public void Validate_Defaults_Succeed()
    {
        Assert.True(new WebhookOptionsValidator().Validate(null, new WebhookOptions()).Succeeded);
    }

    [Fact]
    public void Validate_LeaseShorterThanAnAttempt_FailsNamingTheSetting()
    {
        var result = new WebhookOptionsValidator().Validate(null, new WebhookOptions { LeaseDuration = TimeSpan.FromSeconds(10), MaxConcurrentPerDestination = 0 });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("Longhaul:Webhooks:LeaseDuration", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("Longhaul:Webhooks:MaxConcurrentPerDestination", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1, 0.5, 5.0)]
    [InlineData(2, 0.0, 8.0)]
    [InlineData(3, 1.0, 24.0)]
    [InlineData(30, 0.5, 3600.0)]
    public void Backoff_DoublesPerAttemptWithJitterUpToTheCap(int attempt, double random, double expectedSeconds)
    {
        var options = new WebhookOptions { RetryBaseDelay = TimeSpan.FromSeconds(5), RetryMaxDelay = TimeSpan.FromHours(1) };

        var delay = WebhookRetrySchedule.Backoff(options, attempt, random);

        Assert.Equal(expectedSeconds, delay.TotalSeconds, 6);
    }

    [Fact]
    public void RetryAfter_DateInThePastOrBeyondTheCap_IsClamped()
    {
        var now = DateTimeOffset.UnixEpoch.AddDays(20_000);

        Assert.Equal(TimeSpan.Zero, WebhookRetrySchedule.RetryAfter(new(now.AddSeconds(-5)), now, TimeSpan.FromHours(1)));
        Assert.Equal(TimeSpan.FromHours(1), WebhookRetrySchedule.RetryAfter(new(TimeSpan.FromDays(2)), now, TimeSpan.FromHours(1)));
        Assert.Null(WebhookRetrySchedule.RetryAfter(null, now, TimeSpan.FromHours(1)));
    }

    [Fact]
    public void SignatureHeader_KnownVector_MatchesTheStandardWebhooksReferenceExample()
    {
        // The example of the Standard Webhooks specification's reference libraries.
        var header = WebhookSignature.Header("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, """{"test": 2432232314}"""u8, ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]);

        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", header);
    }
}
