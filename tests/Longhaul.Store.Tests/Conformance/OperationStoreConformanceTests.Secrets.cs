using Longhaul.Storage;

namespace Longhaul.Store.Tests.Conformance;

public abstract partial class OperationStoreConformanceTests
{
    [Fact]
    public async Task GetOrAddSecretAsync_FirstCandidate_IsStoredAndLaterCandidatesGetIt()
    {
        byte[] first = [1, 2, 3, 4];

        var stored = await Store.GetOrAddSecretAsync(new SecretParams("test.secret", first), Ct);
        var again = await Store.GetOrAddSecretAsync(new SecretParams("test.secret", [9, 9, 9, 9]), Ct);
        var other = await Store.GetOrAddSecretAsync(new SecretParams("test.other", [7]), Ct);

        Assert.Equal(first, stored);
        Assert.Equal(first, again);
        Assert.Equal([7], other);
    }

    [Fact]
    public async Task GetOrAddSecretAsync_ConcurrentCandidates_AllGetTheSameSecret()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Store.GetOrAddSecretAsync(new SecretParams("test.race", [(byte)i, 1, 2, 3]), Ct)));

        Assert.All(results, r => Assert.Equal(results[0], r));
    }
}
