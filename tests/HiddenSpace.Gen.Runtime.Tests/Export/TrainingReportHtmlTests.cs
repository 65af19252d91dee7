using Xunit;

namespace HiddenSpace.Tests.Export;

public sealed class TrainingReportHtmlTests
{
    [Theory]
    [InlineData("{\"a\":\"</script><script>\"}", "{\"a\":\"\\u003c/script\\u003e\\u003cscript\\u003e\"}")]
    [InlineData("{\"a\":\"x & y\"}", "{\"a\":\"x \\u0026 y\"}")]
    [InlineData("{\"a\":\"\u2028\u2029\"}", "{\"a\":\"\\u2028\\u2029\"}")]
    [InlineData("{\"a\":\"plain é\"}", "{\"a\":\"plain é\"}")]
    public void EscapesWhatCouldEndTheScriptElementOrALiteral(string json, string expected) =>
        Assert.Equal(expected, TrainingReportHtml.EscapeForScript(json));
}
