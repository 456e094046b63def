namespace SecureByDesign.Updates.Policy
{
    /// <summary>
    /// What a content parser reads (GATES.md, "content and code agree"): the schema name and the number of
    /// fields per record, as <c>ContentParserAttribute</c>'s <c>Schema</c> and <c>Fields</c> declare them.
    /// </summary>
    public sealed class ParserSchema
    {
        /// <summary>Creates a declaration.</summary>
        public ParserSchema(string parser, string schema, int fields)
        {
            Parser = parser;
            Schema = schema;
            Fields = fields;
        }

        /// <summary>The parser, for messages (e.g. <c>Agent.ChannelFile.Parse</c>).</summary>
        public string Parser { get; }

        /// <summary>The schema name the parser reads.</summary>
        public string Schema { get; }

        /// <summary>The number of fields per record the parser reads.</summary>
        public int Fields { get; }
    }
}
