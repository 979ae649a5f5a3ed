using Longhaul.Storage;

namespace Longhaul.Store.Tests.Conformance;

public abstract partial class OperationStoreConformanceTests
{
    [Fact]
    public async Task StorageUsage_CountsTheTenantsFinishedNonEmptyFilesOnly()
    {
        var tenant = $"usage-{Guid.NewGuid():N}";
        var other = $"usage-{Guid.NewGuid():N}";
        Assert.Equal((0L, 0L), Files(await Store.GetStorageUsageAsync(new StorageUsageParams(tenant), Ct)));

        var first = await CreateRunningAsync(tenant: tenant);
        await WriteFileAsync(LeaseOf(first), "a", Bytes(10, 1));
        await WriteFileAsync(LeaseOf(first), "b", Bytes(15, 2), Bytes(5, 3));
        await WriteFileAsync(LeaseOf(first), "emptied", []);
        // Chunks of a file never finished are not a file.
        Assert.True(await Store.WriteFileChunkAsync(new FileChunkParams(LeaseOf(first), "unfinished", 0, Bytes(1000, 4)), Ct));
        var second = await CreateRunningAsync(tenant: other);
        await WriteFileAsync(LeaseOf(second), "a", Bytes(7, 5));

        Assert.Equal((2L, 30L), Files(await Store.GetStorageUsageAsync(new StorageUsageParams(tenant), Ct)));
        Assert.Equal((1L, 7L), Files(await Store.GetStorageUsageAsync(new StorageUsageParams(other), Ct)));
    }

    private static (long Files, long Bytes) Files(StorageUsage usage) => (usage.Files, usage.FileBytes);
}
