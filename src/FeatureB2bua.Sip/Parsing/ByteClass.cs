namespace FeatureB2bua.Sip.Parsing;

/// <summary>Character classes of the RFC 3261 §25.1 grammar, looked up by byte.</summary>
internal static class ByteClass
{
    private const byte Token = 1;
    private const byte Unreserved = 2;
    private const byte UserChar = 4;
    private const byte ParamChar = 8;
    private const byte HostChar = 16;

    private static readonly byte[] Table = Build();

    /// <summary>token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")</summary>
    public static bool IsToken(byte b) => (Table[b] & Token) != 0;

    /// <summary>Characters allowed unescaped in a user part (unreserved / escaped / user-unreserved) or a password.</summary>
    public static bool IsUserChar(byte b) => (Table[b] & UserChar) != 0;

    /// <summary>paramchar = param-unreserved / unreserved / escaped</summary>
    public static bool IsParamChar(byte b) => (Table[b] & ParamChar) != 0;

    public static bool IsHostChar(byte b) => (Table[b] & HostChar) != 0;

    public static bool IsLws(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';

    public static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    private static byte[] Build()
    {
        var table = new byte[256];
        for (var c = 'a'; c <= 'z'; c++)
        {
            table[c] = table[c - 32] = Token | Unreserved | UserChar | ParamChar | HostChar;
        }

        for (var c = '0'; c <= '9'; c++)
        {
            table[c] = Token | Unreserved | UserChar | ParamChar | HostChar;
        }

        foreach (var c in "-.!%*_+`'~")
        {
            table[c] |= Token;
        }

        // mark = "-" / "_" / "." / "!" / "~" / "*" / "'" / "(" / ")"; '%' starts an escape.
        foreach (var c in "-_.!~*'()%")
        {
            table[c] |= Unreserved | UserChar | ParamChar;
        }

        foreach (var c in "&=+$,;?/:")
        {
            table[c] |= UserChar;
        }

        foreach (var c in "[]/:&+$")
        {
            table[c] |= ParamChar;
        }

        foreach (var c in "-.")
        {
            table[c] |= HostChar;
        }

        return table;
    }
}
