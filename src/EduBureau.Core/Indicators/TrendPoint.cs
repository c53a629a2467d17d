namespace EduBureau.Core.Indicators;

/// <summary>A point of a trend line: a year, its value (null = 缺少数据) and the target for that year, if any.</summary>
public sealed record TrendPoint(int Year, double? Value, double? Target);
