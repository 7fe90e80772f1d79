/** The TypeScript source of the types of an OpenAPI 3 document (openapi-typescript). */
export declare function generateTypes (document: object): Promise<string>
