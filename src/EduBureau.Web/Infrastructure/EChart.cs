using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Html;

namespace EduBureau.Web.Infrastructure;

/// <summary>
/// An interactive chart on a page: the server writes the Apache ECharts option as JSON into the page and
/// wwwroot/js/charts.js (loaded by the layout) draws it. Options are plain anonymous objects shaped like the
/// ECharts option; a formatter can be named with "fn:pct1", "fn:num1", "fn:int", … (see charts.js), since
/// JSON cannot carry functions. The fallback (e.g. the server-side SVG) shows until the script draws, and
/// for printing and clients without script.
/// </summary>
public static class EChart
{
    private static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // The default encoder escapes <, >, & and non-ASCII, so "</script>" in a name cannot end the block.
        Encoder = JavaScriptEncoder.Default,
    };

    /// <summary>The option as JSON, exactly as the page carries it (tests read it back).</summary>
    public static string ToJson(object option) => JsonSerializer.Serialize(option, Json);

    public static IHtmlContent Box(object option, string label, int height = 320,
        string? mapUrl = null, string? mapName = null, IHtmlContent? fallback = null)
    {
        var html = new HtmlContentBuilder();
        html.AppendHtml("<div class=\"echart\" role=\"img\" aria-label=\"");
        html.Append(label);
        html.AppendHtml($"\" style=\"height:{height}px\"");
        if (mapUrl is not null)
        {
            html.AppendHtml(" data-map-url=\"");
            html.Append(mapUrl);
            html.AppendHtml("\" data-map-name=\"");
            html.Append(mapName ?? "county");
            html.AppendHtml("\"");
        }
        html.AppendHtml("><script type=\"application/json\">");
        html.AppendHtml(ToJson(option));
        html.AppendHtml("</script>");
        if (fallback is not null)
        {
            html.AppendHtml("<div class=\"echart-fallback\">");
            html.AppendHtml(fallback);
            html.AppendHtml("</div>");
        }
        html.AppendHtml("</div>");
        return html;
    }
}
