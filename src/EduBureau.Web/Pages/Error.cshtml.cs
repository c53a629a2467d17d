using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EduBureau.Web.Pages;

[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public string Title { get; private set; } = "出错了";
    public string Message { get; private set; } = "请求未能完成，请稍后再试。如果问题持续，请联系管理员。";

    public void OnGet(int? code) => Describe(code);
    public void OnPost(int? code) => Describe(code);

    private void Describe(int? code)
    {
        (Title, Message) = code switch
        {
            404 => ("页面不存在", "找不到该页面或记录，或者它不在您的权限范围内。"),
            403 => ("无权访问", "当前账号无权查看或修改该内容。"),
            400 => ("请求无效", "提交的内容无效，请返回重试。"),
            503 => ("数据库正忙", Core.Data.WriteLock.BusyMessage + "。请返回上一页（内容仍在），稍后再提交。"),
            _ => (Title, Message),
        };
        if (code == 403 && HttpContext.Items[Infrastructure.ScopeViolationHandler.ErrorMessageKey] is string reason)
            Message = reason + "。" + Message;
    }
}
