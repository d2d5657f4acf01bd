using System.Data;
using System.Globalization;
using Dapper;

namespace Omo.Clienteling.Data;

/// <summary>
/// Times are stored as unix milliseconds (bigint on both providers), so they sort, compare and do arithmetic the same
/// way in SQL everywhere. Calendar dates need no handler: both providers bind <see cref="DateOnly"/> themselves
/// (SQLite as 'yyyy-MM-dd' text, PostgreSQL as date).
/// </summary>
public static class DapperTypeHandlers
{
    private static int _registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        // Dapper maps DateTimeOffset natively; the built-in map must go for the handler to be used for parameters.
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset));
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset?));
        SqlMapper.AddTypeHandler(new UnixMillisecondsHandler());
        ShopWord.RegisterHandlers();
        DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    public static long ToUnixMs(this DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    private sealed class UnixMillisecondsHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
        {
            parameter.DbType = DbType.Int64;
            parameter.Value = value.ToUnixTimeMilliseconds();
        }

        public override DateTimeOffset Parse(object value) => DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(value, CultureInfo.InvariantCulture));
    }
}
