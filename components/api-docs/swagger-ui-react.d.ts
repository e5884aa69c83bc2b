// The props of swagger-ui-react this app passes (the package ships no types).
declare module "swagger-ui-react" {
  import type { ComponentType } from "react";
  export interface SwaggerUIProps {
    spec?: object;
    url?: string;
    docExpansion?: "list" | "full" | "none";
    defaultModelsExpandDepth?: number;
    supportedSubmitMethods?: string[];
    displayOperationId?: boolean;
  }
  const SwaggerUI: ComponentType<SwaggerUIProps>;
  export default SwaggerUI;
}
