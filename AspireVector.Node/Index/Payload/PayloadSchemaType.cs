namespace AspireVector.Node.Index.Payload;

/// <summary>The payload index types of Qdrant's <c>PayloadSchemaType</c> (JSON names are lower case).</summary>
public enum PayloadSchemaType
{
    /// <summary><c>keyword</c>: exact strings (<c>match.value</c>, <c>match.any</c>).</summary>
    Keyword,

    /// <summary><c>integer</c>: integers (<c>match</c> lookups and <c>range</c>).</summary>
    Integer,

    /// <summary><c>float</c>: numbers (<c>range</c>).</summary>
    Float,

    /// <summary><c>geo</c>: <c>{"lon", "lat"}</c> points (<c>geo_*</c> conditions).</summary>
    Geo,

    /// <summary><c>text</c>: tokenised full text (<c>match.text</c>, <c>text_any</c>, <c>phrase</c>).</summary>
    Text,

    /// <summary><c>bool</c>: booleans.</summary>
    Bool,

    /// <summary><c>datetime</c>: RFC 3339 instants (<c>range</c>).</summary>
    Datetime,

    /// <summary><c>uuid</c>: UUID strings (<c>match.value</c>, <c>match.any</c>).</summary>
    Uuid,
}
