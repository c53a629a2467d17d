using Microsoft.AspNetCore.Razor.TagHelpers;

namespace EduBureau.Web.Infrastructure;

/// <summary>
/// Puts every &lt;table&gt; of every page in its own horizontal scroll box (site.css: .table-scroll, first column
/// sticky), so a wide table (优质均衡, 指标生名额, 审计) scrolls inside its box instead of widening the page on a phone.
/// Done once here rather than page by page; a table marked data-no-scroll is left as it is.
/// </summary>
[HtmlTargetElement("table")]
public sealed class TableScrollTagHelper : TagHelper
{
    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        if (output.Attributes.RemoveAll("data-no-scroll")) return;
        output.PreElement.AppendHtml("<div class=\"table-scroll\">");
        output.PostElement.AppendHtml("</div>");
    }
}
