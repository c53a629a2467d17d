using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace EduBureau.Core.Data;

/// <summary>Quoted table and column names from the model, for the hand-written SQL of hot paths (same on both providers).</summary>
public static class SqlNames
{
    public static string Quote(string name) => "\"" + name + "\"";

    public static string Table(IEntityType entity) => Quote(entity.GetTableName()!);

    public static string Table<T>(DbContext db) => Table(db.Model.FindEntityType(typeof(T))!);

    public static string Column(IEntityType entity, string property) => Quote(entity.FindProperty(property)!.GetColumnName());
}
