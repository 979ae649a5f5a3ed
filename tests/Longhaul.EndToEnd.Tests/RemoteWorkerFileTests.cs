using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Longhaul.EndToEnd.Tests.Harness;

namespace Longhaul.EndToEnd.Tests;

/// <summary>Operation files uploaded by remote workers: chunked, fenced, resumable by chunk, served like any operation file.</summary>
public sealed class RemoteWorkerFileTests : RemoteWorkerTest
{
    private const int Chunk = 1024 * 1024;

    [Fact]
    public async Task Upload_ThreeChunksWithOneResent_FinishedFileIsServedByteForByte_AndStaleWritesAre409()
    {
        await StartAsync(LongLease);
        var id = await StartReportAsync(rows: 1, delay: 0);
        var (_, claimed) = await Api.PostAsync("/v1/workers/claim", WorkerKey, """{"worker":"t","kinds":["report"]}""");
        var token = claimed!["operations"]![0]!["lease"]!["token"]!.GetValue<string>();
        var data = new byte[(2 * Chunk) + 12345];
        new Random(7).NextBytes(data);

        Assert.Equal(HttpStatusCode.NoContent, await PutChunkAsync(token, "data.bin", 0, data.AsMemory(0, Chunk)));
        Assert.Equal(HttpStatusCode.NoContent, await PutChunkAsync(token, "data.bin", 1, new byte[Chunk]));          // a broken first try...
        Assert.Equal(HttpStatusCode.NoContent, await PutChunkAsync(token, "data.bin", 1, data.AsMemory(Chunk, Chunk))); // ...resent
        var (missing, missingBody) = await Api.PostAsync("/v1/leases/files/data.bin/finish", WorkerKey, new JsonObject { ["lease"] = token, ["chunks"] = 3, ["length"] = data.Length });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missing);
        Assert.Contains("chunks", missingBody!["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(HttpStatusCode.NoContent, await PutChunkAsync(token, "data.bin", 2, data.AsMemory(2 * Chunk)));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await PutChunkAsync(token, "data.bin", 3, new byte[Chunk + 1]));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, await PutChunkAsync(token, "Bad Name", 0, new byte[1]));
        var (badLength, _) = await Api.PostAsync("/v1/leases/files/data.bin/finish", WorkerKey, new JsonObject { ["lease"] = token, ["chunks"] = 3, ["length"] = Chunk });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, badLength);

        var (finished, finishedBody) = await Api.PostAsync("/v1/leases/files/data.bin/finish", WorkerKey,
            new JsonObject { ["lease"] = token, ["chunks"] = 3, ["length"] = data.Length, ["content_type"] = "application/x-test" });
        Assert.Equal(HttpStatusCode.OK, finished);
        var url = finishedBody!["url"]!.GetValue<string>();
        Assert.Equal($"/v1/operations/{id}/files/data.bin", url);
        using (var download = await ClientHttp.GetAsync(url, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal("application/x-test", download.Content.Headers.ContentType!.MediaType);
            Assert.Equal(data, await download.Content.ReadAsByteArrayAsync(Ct));
        }

        var (completed, _) = await Api.PostAsync("/v1/leases/complete", WorkerKey, new JsonObject { ["lease"] = token, ["result"] = new JsonObject { ["url"] = url } });
        Assert.Equal(HttpStatusCode.NoContent, completed);
        Assert.Equal(HttpStatusCode.Conflict, await PutChunkAsync(token, "data.bin", 0, new byte[10]));
        using var again = await ClientHttp.GetAsync(url, Ct);
        Assert.Equal(data, await again.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task PythonWorker_UploadsAFile_TheResultLinksIt()
    {
        await StartAsync();
        var id = await Api.StartAsync(ClientKey, "report", new JsonObject { ["rows"] = 5, ["delay"] = 0, ["csv"] = true });
        await PythonWorker.StartAsync(Env, Server.BaseAddress, WorkerKey, "w1");

        var op = await Api.WaitDoneAsync(ClientKey, id, DoneTimeout);

        Assert.True(op["status"]!.GetValue<string>() == "succeeded", $"{op.ToJsonString()}\n{Env.Logs}");
        var csv = await ClientHttp.GetStringAsync(op["result"]!["csv_url"]!.GetValue<string>(), Ct);
        Assert.Equal("row\n1\n2\n3\n4\n5\n", csv);
    }

    private async Task<HttpStatusCode> PutChunkAsync(string token, string name, int index, ReadOnlyMemory<byte> bytes)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/v1/leases/files/{Uri.EscapeDataString(name)}/chunks/{index}") { Content = new ReadOnlyMemoryContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", WorkerKey);
        request.Headers.Add("Longhaul-Lease", token);
        using var response = await Server.Http.SendAsync(request, Ct);
        return response.StatusCode;
    }
}
