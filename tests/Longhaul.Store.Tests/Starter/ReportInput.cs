using System.ComponentModel.DataAnnotations;

namespace Longhaul.Store.Tests.Starter;

/// <summary>The <c>report</c> kind's input: a title and 1 to 100 pages.</summary>
public sealed record ReportInput(string Title, [property: Range(1, 100)] int Pages);
