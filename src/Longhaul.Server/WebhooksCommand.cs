using System.CommandLine;
using System.Globalization;
using Longhaul.AspNetCore;
using Longhaul.Storage;
using Longhaul.Webhooks;

namespace Longhaul.Server;

/// <summary><c>longhaul webhooks secret show|rotate --tenant X [--overlap 24h]</c>: a tenant's webhook signing secrets.</summary>
internal static class WebhooksCommand
{
    public static Command Create()
    {
        var command = new Command("webhooks", "Completion webhooks: a tenant's signing secrets.");
        var secret = new Command("secret", "Show or rotate a tenant's webhook signing secret (whsec_…).");

        var showTenant = TenantOption();
        var showStore = new StoreArguments();
        var show = new Command("show", "Print the tenant's current secret (created on first use), then any still signing during a rotation's overlap.") { showTenant };
        showStore.AddTo(show);
        show.SetAction(async (result, cancellationToken) =>
        {
            if (await TenantOf(result, showTenant).ConfigureAwait(false) is not { } tenant) return 2;
            await using var opened = await showStore.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            Print(await opened.Store.GetWebhookSecretsAsync(new WebhookSecretsParams(tenant, WebhookSignature.NewSecret()), cancellationToken).ConfigureAwait(false));
            return 0;
        });

        var rotateTenant = TenantOption();
        var overlap = new Option<string>("--overlap")
        {
            Description = "How long the replaced secret keeps signing (both signatures are sent meanwhile): 24h, 30m, 90s, 2d or 0. Defaults to 24h.",
            DefaultValueFactory = _ => "24h",
        };
        var rotateStore = new StoreArguments();
        var rotate = new Command("rotate", "Make a new current secret; the replaced one keeps signing during the overlap.") { rotateTenant, overlap };
        rotateStore.AddTo(rotate);
        rotate.SetAction(async (result, cancellationToken) =>
        {
            if (await TenantOf(result, rotateTenant).ConfigureAwait(false) is not { } tenant) return 2;
            if (ParseDuration(result.GetValue(overlap)) is not { } duration)
            {
                await Console.Error.WriteLineAsync("longhaul: --overlap must be a duration such as 24h, 30m, 90s, 2d or 0.").ConfigureAwait(false);
                return 2;
            }
            await using var opened = await rotateStore.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            Print(await opened.Store.RotateWebhookSecretAsync(new RotateWebhookSecretParams(tenant, WebhookSignature.NewSecret(), duration), cancellationToken).ConfigureAwait(false));
            return 0;
        });

        secret.Subcommands.Add(show);
        secret.Subcommands.Add(rotate);
        command.Subcommands.Add(secret);
        return command;
    }

    /// <summary>A number and a unit (s, m, h, d), or 0; null when unusable or negative.</summary>
    internal static TimeSpan? ParseDuration(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        text = text.Trim();
        if (text == "0") return TimeSpan.Zero;
        var unit = text[^1];
        if (!double.TryParse(text[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) || !double.IsFinite(n)) return null;
        return unit switch
        {
            's' => TimeSpan.FromSeconds(n),
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            'd' => TimeSpan.FromDays(n),
            _ => null,
        };
    }

    private static Option<string> TenantOption() => new("--tenant") { Description = "The tenant whose secret it is.", Required = true };

    private static async Task<string?> TenantOf(ParseResult result, Option<string> option)
    {
        var tenant = result.GetValue(option);
        if (ApiKeys.IsValidTenant(tenant)) return tenant;
        await Console.Error.WriteLineAsync("longhaul: --tenant must be 1-63 characters of a-z, 0-9, '-' and '_', starting with a letter or digit.").ConfigureAwait(false);
        return null;
    }

    // The secret on stdout alone (first line), so scripts can take it; the details go to stderr.
    private static void Print(IReadOnlyList<WebhookSecret> secrets)
    {
        foreach (var s in secrets)
        {
            Console.WriteLine(s.Secret);
            Console.Error.WriteLine(s.ExpiresAt is { } until
                ? $"  created {s.CreatedAt:u}, signs until {until:u} (rotation overlap)"
                : $"  created {s.CreatedAt:u}, current");
        }
    }
}
