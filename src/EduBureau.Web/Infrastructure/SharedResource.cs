namespace EduBureau.Web;

/// <summary>
/// Marker for the UI string table. Keys are the zh-CN text itself, so zh-CN needs no resource file
/// and another language (Resources/SharedResource.en.resx) maps the Chinese keys to its own text.
/// </summary>
public sealed class SharedResource;
