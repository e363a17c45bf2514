using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace DmaSafe.Analyzers.Profiles;

/// <summary>
/// A small, strict JSON reader (RFC 8259) for bounce profiles. The analyzer cannot depend on System.Text.Json: the
/// compiler and IDE hosts load their own copy at a version we do not control, and a mismatch fails the analyzer
/// assembly's load (CS8032) for every rule. This reader never throws on bad input: it returns an error with the
/// line and column, and it bounds nesting depth so hostile input cannot exhaust the stack.
/// </summary>
internal sealed class JsonReader
{
    // Bounce profiles nest four levels; anything deeper than this is not one.
    private const int MaxDepth = 64;

    private readonly string _text;
    private int _position;
    private int _line = 1;
    private int _lineStart;
    private string? _error;

    private JsonReader(string text) => _text = text;

    /// <summary>Parses <paramref name="text"/>; on failure returns false with a message naming the line and column.</summary>
    public static bool TryParse(string text, out JsonValue? value, out string error)
    {
        var reader = new JsonReader(text ?? string.Empty);
        reader.SkipByteOrderMark();
        reader.SkipWhitespace();
        value = reader.ReadValue(0);
        if (value is not null)
        {
            reader.SkipWhitespace();
            if (reader._position < reader._text.Length)
            {
                reader.Fail("unexpected text after the JSON value");
                value = null;
            }
        }

        error = reader._error ?? string.Empty;
        return value is not null;
    }

    private void SkipByteOrderMark()
    {
        if (_text.Length > 0 && _text[0] == '\uFEFF')
        {
            _position = 1;
        }
    }

    private JsonValue? ReadValue(int depth)
    {
        if (depth > MaxDepth)
        {
            return Fail("nesting deeper than " + MaxDepth.ToString(CultureInfo.InvariantCulture) + " levels");
        }

        if (_position >= _text.Length)
        {
            return Fail("unexpected end of input");
        }

        var line = _line;
        switch (_text[_position])
        {
            case '{':
                return ReadObject(depth, line);
            case '[':
                return ReadArray(depth, line);
            case '"':
                var text = ReadString();
                return text is null ? null : JsonValue.FromString(text, line);
            case 't':
                return ReadLiteral("true", JsonValue.FromBoolean(true, line));
            case 'f':
                return ReadLiteral("false", JsonValue.FromBoolean(false, line));
            case 'n':
                return ReadLiteral("null", JsonValue.Null(line));
            default:
                return ReadNumber(line);
        }
    }

    private JsonValue? ReadObject(int depth, int line)
    {
        _position++; // {
        var members = new Dictionary<string, JsonValue>(StringComparer.Ordinal);
        SkipWhitespace();
        if (Peek() == '}')
        {
            _position++;
            return JsonValue.FromObject(members, line);
        }

        while (true)
        {
            SkipWhitespace();
            if (Peek() != '"')
            {
                return Fail("expected a member name in double quotes");
            }

            var name = ReadString();
            if (name is null)
            {
                return null;
            }

            SkipWhitespace();
            if (Peek() != ':')
            {
                return Fail("expected ':' after member name \"" + name + "\"");
            }

            _position++;
            SkipWhitespace();
            var value = ReadValue(depth + 1);
            if (value is null)
            {
                return null;
            }

            members[name] = value;
            SkipWhitespace();
            var next = Peek();
            _position++;
            if (next == '}')
            {
                return JsonValue.FromObject(members, line);
            }

            if (next != ',')
            {
                _position--;
                return Fail("expected ',' or '}' in an object");
            }
        }
    }

    private JsonValue? ReadArray(int depth, int line)
    {
        _position++; // [
        var items = ImmutableArray.CreateBuilder<JsonValue>();
        SkipWhitespace();
        if (Peek() == ']')
        {
            _position++;
            return JsonValue.FromArray(items.ToImmutable(), line);
        }

        while (true)
        {
            SkipWhitespace();
            var value = ReadValue(depth + 1);
            if (value is null)
            {
                return null;
            }

            items.Add(value);
            SkipWhitespace();
            var next = Peek();
            _position++;
            if (next == ']')
            {
                return JsonValue.FromArray(items.ToImmutable(), line);
            }

            if (next != ',')
            {
                _position--;
                return Fail("expected ',' or ']' in an array");
            }
        }
    }

    private string? ReadString()
    {
        _position++; // opening quote
        var builder = new StringBuilder();
        while (_position < _text.Length)
        {
            var c = _text[_position++];
            switch (c)
            {
                case '"':
                    return builder.ToString();
                case '\\':
                    if (!ReadEscape(builder))
                    {
                        return null;
                    }

                    break;
                case < ' ':
                    _position--;
                    Fail("control character in a string (escape it)");
                    return null;
                default:
                    builder.Append(c);
                    break;
            }
        }

        Fail("unterminated string");
        return null;
    }

    private bool ReadEscape(StringBuilder builder)
    {
        if (_position >= _text.Length)
        {
            Fail("unterminated escape");
            return false;
        }

        var c = _text[_position++];
        switch (c)
        {
            case '"': builder.Append('"'); return true;
            case '\\': builder.Append('\\'); return true;
            case '/': builder.Append('/'); return true;
            case 'b': builder.Append('\b'); return true;
            case 'f': builder.Append('\f'); return true;
            case 'n': builder.Append('\n'); return true;
            case 'r': builder.Append('\r'); return true;
            case 't': builder.Append('\t'); return true;
            case 'u':
                if (_position + 4 > _text.Length
                    || !int.TryParse(_text.Substring(_position, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                {
                    Fail("\\u must be followed by four hex digits");
                    return false;
                }

                _position += 4;
                builder.Append((char)code);
                return true;
            default:
                _position--;
                Fail("unknown escape '\\" + c + "'");
                return false;
        }
    }

    private JsonValue? ReadLiteral(string literal, JsonValue value)
    {
        if (string.CompareOrdinal(_text, _position, literal, 0, literal.Length) != 0)
        {
            return Fail("unexpected character '" + _text[_position] + "'");
        }

        _position += literal.Length;
        return value;
    }

    private JsonValue? ReadNumber(int line)
    {
        var start = _position;
        if (Peek() == '-')
        {
            _position++;
        }

        if (Peek() == '0')
        {
            _position++;
        }
        else if (IsDigit(Peek()))
        {
            SkipDigits();
        }
        else
        {
            return Fail(_position < _text.Length ? "unexpected character '" + _text[_position] + "'" : "unexpected end of input");
        }

        if (Peek() == '.')
        {
            _position++;
            if (!IsDigit(Peek()))
            {
                return Fail("expected a digit after the decimal point");
            }

            SkipDigits();
        }

        if (Peek() is 'e' or 'E')
        {
            _position++;
            if (Peek() is '+' or '-')
            {
                _position++;
            }

            if (!IsDigit(Peek()))
            {
                return Fail("expected a digit in the exponent");
            }

            SkipDigits();
        }

        return JsonValue.FromNumber(_text.Substring(start, _position - start), line);
    }

    private void SkipDigits()
    {
        while (IsDigit(Peek()))
        {
            _position++;
        }
    }

    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    private char Peek() => _position < _text.Length ? _text[_position] : '\0';

    private void SkipWhitespace()
    {
        while (_position < _text.Length)
        {
            var c = _text[_position];
            if (c == '\n')
            {
                _line++;
                _lineStart = _position + 1;
            }
            else if (c is not (' ' or '\t' or '\r'))
            {
                return;
            }

            _position++;
        }
    }

    private JsonValue? Fail(string message)
    {
        _error ??= string.Format(
            CultureInfo.InvariantCulture,
            "{0} at line {1}, column {2}",
            message,
            _line,
            _position - _lineStart + 1);
        return null;
    }
}
