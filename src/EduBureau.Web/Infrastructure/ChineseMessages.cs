using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace EduBureau.Web.Infrastructure;

/// <summary>Model binding's own messages (a date that is not a date, a number that is not a number) in Chinese.</summary>
internal sealed class ChineseBindingMessages : IConfigureOptions<MvcOptions>
{
    public void Configure(MvcOptions o)
    {
        var m = o.ModelBindingMessageProvider;
        m.SetAttemptedValueIsInvalidAccessor((value, _) => $"“{value}”格式不正确");
        m.SetValueIsInvalidAccessor(value => $"“{value}”格式不正确");
        m.SetUnknownValueIsInvalidAccessor(_ => "填写的值格式不正确");
        m.SetNonPropertyAttemptedValueIsInvalidAccessor(value => $"“{value}”格式不正确");
        m.SetNonPropertyUnknownValueIsInvalidAccessor(() => "填写的值格式不正确");
        m.SetNonPropertyValueMustBeANumberAccessor(() => "须填写数字");
        m.SetValueMustBeANumberAccessor(_ => "须填写数字");
        m.SetValueMustNotBeNullAccessor(_ => "此项不能为空");
        m.SetMissingBindRequiredValueAccessor(_ => "缺少必填项");
        m.SetMissingKeyOrValueAccessor(() => "缺少必填项");
        m.SetMissingRequestBodyRequiredValueAccessor(() => "请求内容为空");
    }
}
